import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { WebhookDeliveryConfigSchema } from "@comptoir/firmware-config";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startWebhookReceiver } from "../testing/webhook-receiver.js";
import { WebhookAdmin } from "./admin.js";
import { WebhookDeliverer } from "./deliverer.js";
import { Outbox } from "./outbox.js";
import { signatureHeader } from "./signature.js";

type Verify = (secret: string, header: unknown, rawBody: string, now?: number) => boolean;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The verification code exactly as gateway/README.md shows it to integrators. */
async function readmeVerifier(): Promise<Verify> {
  const readme = await readFile(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
  const block = /```js\n(\/\/ verify-comptoir-webhook\.mjs\n[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("gateway/README.md has no verify-comptoir-webhook.mjs block");
  const dir = await mkdtemp(join(tmpdir(), "comptoir-readme-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, "verify-comptoir-webhook.mjs");
  await writeFile(file, block);
  const module = (await import(pathToFileURL(file).href)) as { verifyComptoirWebhook: Verify };
  return module.verifyComptoirWebhook;
}

const SECRET = "the-erp-shared-secret-0123456789";

describe("the README's receiver code", () => {
  it("accepts what the gateway sends, and a receiver holding another secret refuses it until it is a dead letter", async () => {
    const verify = await readmeVerifier();
    const answer = (secret: string) => (raw: string, header: unknown) =>
      verify(secret, header, raw) ? { status: 204 } : { status: 401 };
    const good = await startWebhookReceiver((r) =>
      answer(SECRET)(r.raw, r.headers["comptoir-signature"]),
    );
    const wrong = await startWebhookReceiver((r) =>
      answer("a-different-secret-0123456789")(r.raw, r.headers["comptoir-signature"]),
    );
    cleanups.push(
      () => good.close(),
      () => wrong.close(),
    );
    const dir = await mkdtemp(join(tmpdir(), "comptoir-webhooks-sign-"));
    const db = new Database(join(dir, "gateway.db"));
    const subscriptions = [
      { id: "good", url: good.url, secret: SECRET, events: ["*" as const] },
      { id: "wrong", url: wrong.url, secret: SECRET, events: ["*" as const] },
    ];
    const outbox = new Outbox(db, { subscriptions });
    const deliverer = new WebhookDeliverer(db, {
      subscriptions,
      delivery: WebhookDeliveryConfigSchema.parse({
        maxAttempts: 2,
        backoffBaseMs: 5,
        backoffMaxMs: 10,
        pollMs: 20,
      }),
    });
    const admin = new WebhookAdmin(db, subscriptions);
    outbox.onEnqueued(() => deliverer.wake());
    deliverer.start();
    cleanups.push(async () => {
      await deliverer.stop();
      db.close();
      await rm(dir, { recursive: true, force: true });
    });

    outbox.enqueue("payment.applied", { payment: "P-1", amount: 120_00, letter: "AB" });
    await good.until(() => good.accepted().length === 1);
    expect(good.accepted()[0]?.body).toMatchObject({
      type: "payment.applied",
      data: { payment: "P-1", amount: 120_00, letter: "AB" },
    });
    await vi.waitFor(() =>
      expect(admin.deadLetters({ subscription: "wrong", limit: 5 })[0]?.lastError).toBe(
        "HTTP 401: refused by the test receiver (401)",
      ),
    );
  });

  it("refuses a changed body, an old or future timestamp, and a malformed header", async () => {
    const verify = await readmeVerifier();
    const body =
      '{"id":"k","type":"node.offline","occurredAt":"2026-12-07T10:00:00.000Z","data":{}}';
    const signedAt = new Date("2026-12-07T10:00:00Z");
    const header = signatureHeader(SECRET, body, signedAt);
    const at = (seconds: number) => signedAt.getTime() + seconds * 1000;
    expect(verify(SECRET, header, body, at(299))).toBe(true);
    expect(verify(SECRET, header, body.replace("{}", '{"x":1}'), at(0))).toBe(false);
    expect(verify(SECRET, header, body, at(301))).toBe(false);
    expect(verify(SECRET, header, body, at(-301))).toBe(false);
    expect(verify("another-secret-0123456789", header, body, at(0))).toBe(false);
    expect(verify(SECRET, "t=abc,v1=zz", body, at(0))).toBe(false);
    expect(verify(SECRET, undefined, body, at(0))).toBe(false);
  });
});
