import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore, TokenStore } from "@comptoir/gateway";
import { startWebhookReceiver } from "@comptoir/gateway/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "./support/run-cli.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** A whole gateway whose config subscribes the receiver to orders' events, its secret in a file. */
async function gatewayWithWebhooks(url: string, secretFile = "erp.secret") {
  const dataDir = await mkdtemp(join(tmpdir(), "comptoir-webhooks-cli-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  await writeFile(join(dataDir, "erp.secret"), "0123456789abcdef0123456789abcdef\n");
  const core = await GatewayCore.start({
    config: GatewayConfigSchema.parse({
      gateway: { site: "site-1" },
      mqtt: { embedded: { port: 0 } },
      log: { level: "warn" },
      webhooks: {
        subscriptions: [{ id: "erp", url, secretFile, events: ["order.held", "order.released"] }],
        delivery: { maxAttempts: 2, backoffBaseMs: 5, backoffMaxMs: 10, pollMs: 50 },
      },
    }),
    dataDir,
    listen: { host: "127.0.0.1", port: 0 },
  });
  cleanups.push(() => core.stop());
  const tokens = new TokenStore(core.store.db, core.ledger);
  const token = (role: "admin" | "accounting" | "warehouse") =>
    tokens.create(role, `${role} cli`, { kind: "system", id: "test" }).token;
  return {
    core,
    admin: token("admin"),
    accounting: token("accounting"),
    warehouse: token("warehouse"),
  };
}

describe("comptoir webhooks, against a running gateway", () => {
  it("delivers what a service enqueues, lists the subscription and its dead letter, and replays it", async () => {
    const receiver = await startWebhookReceiver((request) =>
      request.body.type === "order.held" ? { status: 500 } : { status: 200 },
    );
    cleanups.push(() => receiver.close());
    const g = await gatewayWithWebhooks(receiver.url);
    const cli = (token: string, ...args: string[]) =>
      runCli(["webhooks", ...args, "--gateway", g.core.url], { COMPTOIR_TOKEN: token });

    // As a service does: inside the transaction of its change.
    g.core.store.db.transaction(() => {
      g.core.outbox.enqueue("order.held", { order: "SO-1", reasons: ["over the limit"] });
      g.core.outbox.enqueue("order.released", { order: "SO-2" });
    })();
    await receiver.until(() => receiver.accepted().length === 1);
    expect(receiver.accepted()[0]?.body).toMatchObject({ type: "order.released" });

    await vi.waitFor(async () => {
      const list = await cli(g.accounting, "list");
      expect(list.code).toBe(0);
      expect(list.stdout).toContain(`erp  ${receiver.url}  (order.held, order.released)`);
      expect(list.stdout).toContain("pending 0, dead 1");
    });
    const list = await cli(g.admin, "list");
    expect(list.stdout).toMatch(/last delivered #2 at /);
    expect(list.stdout).toMatch(/last error at .*: HTTP 500: refused by the test receiver \(500\)/);
    expect(list.stdout).not.toContain("0123456789abcdef");

    const dead = await cli(g.accounting, "dead-letters");
    expect(dead.code).toBe(0);
    const [, id] =
      /^(\d+) {2}erp {2}#1 order\.held .* 2 tries, dead since /m.exec(dead.stdout) ?? [];
    expect(id).toBeDefined();

    const refused = await cli(g.accounting, "replay", id ?? "");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/HTTP 403/);

    receiver.behave(() => ({ status: 200 }));
    const replay = await cli(g.admin, "replay", id ?? "");
    expect(replay.code).toBe(0);
    expect(replay.stdout).toBe(
      `dead letter ${id} (erp: #1 order.held) queued again; it goes out next\n`,
    );
    await receiver.until(() => receiver.accepted().length === 2);
    expect(receiver.accepted()[1]?.body).toEqual(receiver.received[0]?.body);
    await vi.waitFor(async () =>
      expect((await cli(g.admin, "dead-letters")).stdout).toBe("no dead letter\n"),
    );
    const again = await cli(g.admin, "replay", id ?? "");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is delivered, not dead/);
    const bad = await cli(g.admin, "replay", "first");
    expect(bad.code).toBe(2);
    expect((await cli(g.admin, "replay")).code).toBe(2);
    expect((await cli(g.admin, "replay", "--all")).stdout).toBe("0 dead letters queued again\n");
  });

  it("refuses to start a gateway whose subscription's secret file cannot be read, saying which", async () => {
    await expect(gatewayWithWebhooks("http://127.0.0.1:9/hook", "missing.secret")).rejects.toThrow(
      /webhooks\.subscriptions\[0\]\.secretFile: cannot read .*missing\.secret/,
    );
  });
});
