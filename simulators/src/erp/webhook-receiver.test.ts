import { createHmac } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ErpReceiver, serveErpReceiver } from "./webhook-receiver.js";

const SECRET = "a-secret-of-the-erp-0123456789";
const event = {
  id: "evt-1",
  type: "stock.adjusted",
  occurredAt: "2026-12-07T10:00:00.000Z",
  data: { sku: "DRL-18V", delta: -1 },
};

/** Signs as the gateway does: HMAC-SHA256 of "<t>.<body>". */
function sign(body: string, seconds = Math.floor(Date.now() / 1000), secret = SECRET): string {
  return `t=${seconds},v1=${createHmac("sha256", secret).update(`${seconds}.${body}`).digest("hex")}`;
}

let receiver: ErpReceiver | undefined;
let dir: string | undefined;
afterEach(async () => {
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const post = (body: string, headers: Record<string, string>) =>
  fetch(receiver?.url as string, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

describe("the simulated ERP's webhook receiver", () => {
  it("keeps a signed event once, answers a repeat 2xx and counts it, and journals what it kept", async () => {
    dir = await mkdtemp(join(tmpdir(), "comptoir-erp-"));
    receiver = await serveErpReceiver({ secret: SECRET, journal: join(dir, "webhooks.jsonl") });
    const body = JSON.stringify(event);
    const headers = { "idempotency-key": "evt-1", "comptoir-signature": sign(body) };
    expect((await post(body, headers)).status).toBe(204);
    expect((await post(body, headers)).status).toBe(204);
    expect(receiver.events.map((kept) => kept.id)).toEqual(["evt-1"]);
    expect(receiver.duplicates).toBe(1);
    const lines = (await readFile(join(dir, "webhooks.jsonl"), "utf8")).trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).data)).toEqual([event.data]);
  });

  it("refuses a wrong secret, a stale timestamp, a changed body and a key that is not the event's", async () => {
    receiver = await serveErpReceiver({ secret: SECRET });
    const body = JSON.stringify(event);
    const key = { "idempotency-key": "evt-1" };
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect(
      (
        await post(body, {
          ...key,
          "comptoir-signature": sign(body, undefined, "another-secret-0123"),
        })
      ).status,
    ).toBe(401);
    expect((await post(body, { ...key, "comptoir-signature": sign(body, stale) })).status).toBe(
      401,
    );
    expect(
      (await post(body.replace("-1", "-2"), { ...key, "comptoir-signature": sign(body) })).status,
    ).toBe(401);
    expect(
      (await post(body, { "idempotency-key": "other", "comptoir-signature": sign(body) })).status,
    ).toBe(400);
    expect(receiver.events).toEqual([]);
    expect(receiver.refused).toHaveLength(4);
  });
});
