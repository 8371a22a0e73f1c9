import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdentity, ManualClock } from "@comptoir/contracts";
import { NODE, poll, removeDir, startCounter } from "@comptoir/device/node/testing";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore } from "@comptoir/gateway";
import { afterEach, describe, expect, it } from "vitest";

// A counter node against the real gateway (embedded broker, credit
// service): its on-account sale reaches the gateway's exposure exactly
// once, and a payment recorded at the gateway reaches the counter.

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

describe("counter and gateway", () => {
  it("counts an on-account sale once (pending, then in the snapshot) and follows a payment", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-pos-gw-"));
    cleanups.push(() => removeDir(root));
    const gateway = await GatewayCore.start({
      config: GatewayConfigSchema.parse({
        gateway: { site: "lyon-1" },
        // Over TLS: the gateway makes its site CA, the node pins it from the enrollment answer.
        mqtt: { embedded: { port: 0, tls: true } },
        http: { listen: "127.0.0.1:0" },
      }),
      dataDir: join(root, "gateway"),
    });
    cleanups.push(() => gateway.stop());
    const headers = {
      authorization: `Bearer ${gateway.firstAdminToken}`,
      "content-type": "application/json",
    };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${gateway.url}/api/v1${path}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return res.json();
    };
    const eur = (amount: number) => ({ amount, currency: "EUR" });
    await post("/products", {
      sku: "TABLE",
      name: "Oak table",
      unitPrice: eur(30_000),
      unitCost: eur(12_000),
    });
    await post("/customers", {
      id: "acme",
      name: "ACME Joinery",
      creditLimit: eur(500_000),
      paymentTermsDays: 30,
    });

    const dataDir = join(root, NODE);
    const identity = await createIdentity(dataDir);
    const { mqtt } = (await post("/nodes", { id: NODE, publicKey: identity.publicKeyHex })) as {
      mqtt: { username: string; password: string };
    };
    const counter = await startCounter(gateway.mqttUrl, {
      dataDir,
      mqtt,
      clock: new ManualClock(new Date()),
    });
    cleanups.push(() => counter.stop());
    const standing = async () => (await counter.call("GET", "/pos/customers/acme")).body;
    await poll(async () => (await standing()).limit, { timeout: 15_000 }).toBe(500_000);
    await poll(async () => (await counter.call("GET", "/pos/status")).body.catalog?.products, {
      timeout: 15_000,
    }).toBe(1);

    const sold = await counter.call("POST", "/pos/sale", {
      customer: "acme",
      payment: "account",
      lines: [{ sku: "TABLE", quantity: 1 }],
    });
    expect(sold.status).toBe(201);
    expect(await standing()).toMatchObject({ exposure: 30_000 });
    // The gateway stores the sale, folds it into exposure and republishes: pending drops, exposure stays.
    const seen: number[] = [];
    await poll(
      async () => {
        const now = await standing();
        seen.push(now.exposure);
        return now.pending;
      },
      { timeout: 15_000 },
    ).toBe(0);
    expect(await standing()).toMatchObject({ exposure: 30_000, pending: 0 });
    expect(seen.every((exposure) => exposure === 30_000)).toBe(true);

    // A payment of 200.00 at the gateway: unapplied credit, the counter sees 100.00 of exposure.
    await post("/payments", {
      id: "BANK-1",
      date: "2026-11-27",
      amount: 20_000,
      currency: "EUR",
      customer: "acme",
    });
    await poll(async () => (await standing()).exposure, { timeout: 15_000 }).toBe(10_000);
  });
});
