import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startWebhookReceiver } from "../testing/webhook-receiver.js";
import { Outbox } from "./outbox.js";

const CHILD = join(import.meta.dirname, "..", "testing", "webhook-deliverer-child.ts");
const EVENTS = 60;
const KILLS = 5;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startChild(db: string, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, db, url, "x".repeat(32)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(() => child.kill("SIGKILL"));
  let errors = "";
  child.stderr?.on("data", (chunk) => (errors += chunk));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("delivering")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`the deliverer exited (${code}): ${errors}`)));
  });
}

describe("a deliverer SIGKILLed during delivery", () => {
  // Several process starts on a loaded machine: a hang guard, not a measure.
  it("loses no event after restart, keeps commit order, and any duplicate carries the same Idempotency-Key", {
    timeout: 60_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-webhook-crash-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const dbPath = join(dir, "gateway.db");
    const db = new Database(dbPath);
    db.pragma("journal_mode = WAL");
    cleanups.push(() => db.close());
    // Each answer comes a little later, so that kills land before, during and after POSTs.
    const receiver = await startWebhookReceiver(() => ({
      status: 200,
      hold: new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 15))),
    }));
    cleanups.push(() => receiver.close());
    const outbox = new Outbox(db, { subscriptions: [{ id: "erp", events: ["*"] }] });
    for (let n = 1; n <= EVENTS; n++) outbox.enqueue("stock.adjusted", { n });

    for (let kill = 1; kill <= KILLS; kill++) {
      const child = await startChild(dbPath, receiver.url);
      // Let it deliver a few, then kill it at a random moment of a POST or of its write.
      const target = receiver.received.length + 3;
      await receiver.until(() => receiver.received.length >= target);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20)));
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    }
    const last = await startChild(dbPath, receiver.url);
    const delivered = () => new Set(receiver.accepted().map((r) => r.headers["idempotency-key"]));
    await receiver.until(() => delivered().size === EVENTS);
    last.kill("SIGKILL");

    const accepted = receiver.accepted().map((r) => ({
      n: (r.body.data as { n: number }).n,
      key: r.headers["idempotency-key"],
    }));
    // Nothing lost: every event arrived, at least once.
    expect(new Set(accepted.map((a) => a.n)).size).toBe(EVENTS);
    // In commit order: a restart repeats at most the event it was sending, never goes back further.
    const ns = accepted.map((a) => a.n);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
    // Each event has one key, on every copy, and no two events share one.
    const keyOf = new Map<number, string | string[] | undefined>();
    for (const { n, key } of accepted) {
      if (keyOf.has(n)) expect(key).toBe(keyOf.get(n));
      keyOf.set(n, key);
    }
    expect(new Set(keyOf.values()).size).toBe(EVENTS);
  });
});
