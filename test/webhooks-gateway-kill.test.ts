import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  cleanupAfterEach,
  invoiceJson,
  startWebhookReceiver,
  tempDir,
} from "@comptoir/gateway/testing";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  freePort,
  type GatewayProcess,
  killGatewayHard,
  startGatewayProcess,
  stopGateway,
} from "./support/gateway-process.js";

const INVOICES = 120;
const KILLS = 2;
const defer = cleanupAfterEach();

/**
 * Issue 18: "a gateway SIGKILL during delivery, after which there is no
 * loss and any duplicate carries the same idempotency key". A whole
 * `comptoir gateway` process, killed twice while it POSTs a file's events
 * to a slow receiver, then started again on the same data.
 */
describe("webhooks across a gateway killed with SIGKILL during delivery", () => {
  it("delivers every event of a 120-invoice import, in commit order, each with one Idempotency-Key however often it came", async () => {
    const dir = await tempDir(defer, "comptoir-webhooks-kill-");
    // 15 ms an answer: the 120 events take about two seconds, long enough to be killed in.
    const receiver = await startWebhookReceiver(() => ({ status: 204, hold: sleep(15) }));
    defer(() => receiver.close());
    const port = await freePort();
    const config = join(dir, "gateway.yaml");
    await writeFile(
      config,
      stringify({
        gateway: { site: "kill-1", dataDir: "./data" },
        mqtt: { embedded: { port: 0 } },
        http: { listen: `127.0.0.1:${port}` },
        log: { level: "warn" },
        webhooks: {
          subscriptions: [
            { id: "erp", url: receiver.url, secret: "a-secret-for-the-test-erp", events: ["*"] },
          ],
          delivery: { backoffBaseMs: 50, backoffMaxMs: 200, pollMs: 100 },
        },
      }),
    );
    let gateway: GatewayProcess = await startGatewayProcess(config);
    defer(() => stopGateway(gateway));
    const token = (await readFile(join(dir, "data", "admin-token"), "utf8")).trim();
    const call = async (path: string, body: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.text()).toBe(201);
    };
    await call("/customers", {
      id: "acme",
      name: "ACME",
      creditLimit: "unlimited",
      paymentTermsDays: 30,
    });
    const numbers = Array.from(
      { length: INVOICES },
      (_, i) => `F-${String(i + 1).padStart(4, "0")}`,
    );
    await call(
      "/invoices/import",
      numbers.map((number) => invoiceJson(number, "acme", [["WID", 1, 1000]])),
    );

    const imported = () =>
      new Set(
        receiver.received
          .filter((request) => request.body.type === "invoice.imported")
          .map((request) => (request.body.data as { number: string }).number),
      );
    for (let kill = 1; kill <= KILLS; kill++) {
      const before = imported().size;
      await receiver.until(() => imported().size >= before + 25);
      await killGatewayHard(gateway);
      // Killed in the middle: not everything had gone out.
      expect(imported().size).toBeLessThan(INVOICES);
      gateway = await startGatewayProcess(config);
    }
    await receiver.until(() => imported().size === INVOICES);

    const events = receiver.received.filter((request) => request.body.type === "invoice.imported");
    // No loss: every invoice of the file was told.
    expect([...imported()].sort()).toEqual(numbers);
    // Any copy carries the key of the first: one key per invoice, the body's id, the same each time.
    const keys = new Map<string, Set<string>>();
    for (const request of events) {
      const number = (request.body.data as { number: string }).number;
      expect(request.headers["idempotency-key"]).toBe(request.body.id);
      keys.set(number, (keys.get(number) ?? new Set()).add(request.body.id));
    }
    expect([...keys.values()].filter((set) => set.size !== 1)).toEqual([]);
    // In commit order: each invoice first arrived after the one recorded before it.
    const firsts = [
      ...new Set(events.map((request) => (request.body.data as { number: string }).number)),
    ];
    expect(firsts).toEqual(numbers);
  }, 120_000);
});
