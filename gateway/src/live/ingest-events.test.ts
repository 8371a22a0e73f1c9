import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GENESIS_PREV,
  generateIdentity,
  type LedgerEntry,
  type MovementData,
  sealEntry,
} from "@comptoir/contracts";
import { chainSealer, relink, signedBatch } from "@comptoir/contracts/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { Ingest } from "../ingest/ingest.js";
import { Store } from "../store/store.js";
import { EventHub, type LiveEvent } from "./events.js";
import { IngestEvents, MAX_MOVEMENT_EVENTS_PER_BATCH } from "./ingest-events.js";

const dock = generateIdentity();
let store: Store;
let ingest: Ingest;
let live: IngestEvents;
let events: LiveEvent[];

beforeEach(async () => {
  store = new Store(join(await mkdtemp(join(tmpdir(), "comptoir-live-")), "gateway.db"));
  store.enrollNode("dock-1", dock.publicKeyHex);
  ingest = new Ingest(store);
  const hub = new EventHub();
  events = [];
  hub.subscribe((event) => events.push(event));
  live = new IngestEvents(store, hub);
});

/** `count` items received at the dock, as a portal node would write them. */
function received(count: number): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const sealer = chainSealer("dock-1");
  for (let i = 0; i < count; i++) {
    const data: MovementData = {
      epc: `30340000000000000000${i.toString(16).toUpperCase().padStart(4, "0")}`,
      sku: "04012345123456",
      kind: "receive",
      from: null,
      to: "dock",
      reader: "door",
      antennas: [1, 2],
      reads: 4,
      at: "2026-11-22T10:00:00.000Z",
    };
    entries.push(sealer.seal("movement", data, data.at));
  }
  return entries;
}

const ofType = (type: LiveEvent["type"]) => events.filter((event) => event.type === type);

describe("live events from ingest", () => {
  it("announces each stored movement, the new count of what it touched, and the node's progress", () => {
    const outcome = ingest.handleBatch("dock-1", signedBatch(dock, "dock-1", received(3)));
    live.outcome("dock-1", outcome);
    expect(ofType("movement").map((event) => (event.data as { seq: number }).seq)).toEqual([
      1, 2, 3,
    ]);
    expect(ofType("stock").map((event) => event.data)).toEqual([
      { sku: "04012345123456", zone: "dock", count: 3 },
    ]);
    expect(ofType("node").at(-1)?.data).toMatchObject({
      id: "dock-1",
      change: "synced",
      stored: 3,
    });
  });

  it("sends only the newest movements of a large catch-up batch", () => {
    const count = MAX_MOVEMENT_EVENTS_PER_BATCH + 50;
    live.outcome(
      "dock-1",
      ingest.handleBatch("dock-1", signedBatch(dock, "dock-1", received(count))),
    );
    const movements = ofType("movement").map((event) => (event.data as { seq: number }).seq);
    expect(movements).toHaveLength(MAX_MOVEMENT_EVENTS_PER_BATCH);
    expect(movements.at(-1)).toBe(count);
    expect(ofType("node").at(-1)?.data).toMatchObject({ stored: count });
  });

  it("raises a critical alert when a node's chain breaks", () => {
    const entries = received(4);
    live.outcome(
      "dock-1",
      ingest.handleBatch("dock-1", signedBatch(dock, "dock-1", entries.slice(0, 2))),
    );
    // Signed by the node, but seq 3 does not follow what the gateway holds: a rewritten history.
    const forked = structuredClone(entries.slice(2));
    (forked[0] as LedgerEntry).prev = "f".repeat(64);
    relink(forked, 0);
    const outcome = ingest.handleBatch("dock-1", signedBatch(dock, "dock-1", forked));
    live.outcome("dock-1", outcome);
    expect(ofType("movement")).toHaveLength(2);
    expect(ofType("node").at(-1)?.data).toMatchObject({ change: "broken", seq: 3 });
    expect(ofType("alert")[0]?.data).toMatchObject({ level: "critical", node: "dock-1" });
  });

  it("alerts once when a reader becomes degraded, not at every status", () => {
    const status = (state: "reading" | "degraded") => ({
      status: {
        state: "online" as const,
        node: "dock-1",
        version: "0.1.0",
        headSeq: 0,
        ackedSeq: 0,
        readers: [{ id: "door", state, detail: "port gone" }],
        ts: "2026-11-22T10:00:00.000Z",
      },
      receivedAt: "2026-11-22T10:00:00.000Z",
    });
    live.status("dock-1", status("reading"));
    live.status("dock-1", status("degraded"));
    live.status("dock-1", status("degraded"));
    live.status("dock-1", status("reading"));
    live.status("dock-1", status("degraded"));
    expect(ofType("alert")).toHaveLength(2);
    expect(ofType("node")).toHaveLength(5);
  });

  it("passes on the counters' credit decisions, blocked ones with their reasons", () => {
    const { entry } = sealEntry({
      seq: 1,
      ts: "2026-11-22T10:00:00.000Z",
      chain: "dock-1",
      type: "credit-decision",
      data: {
        customer: "acme",
        clerk: "clerk-1",
        decision: "block",
        reasons: [{ code: "over-limit", message: "exposure 5 100.00 > limit 5 000.00" }],
        figures: {
          currency: "EUR",
          limit: 500000,
          exposure: 420000,
          amount: 90000,
          availableAfter: -10000,
          overdue: 0,
          snapshotVersion: 3,
          snapshotAsOf: "2026-11-22T09:00:00.000Z",
          offline: false,
        },
        at: "2026-11-22T10:00:00.000Z",
      },
      prev: GENESIS_PREV,
    });
    live.outcome("dock-1", ingest.handleBatch("dock-1", signedBatch(dock, "dock-1", [entry])));
    expect(ofType("credit").map((event) => event.data)).toEqual([
      {
        customer: "acme",
        node: "dock-1",
        seq: 1,
        decision: "block",
        reasons: ["exposure 5 100.00 > limit 5 000.00"],
        amount: 90000,
        currency: "EUR",
        clerk: "clerk-1",
        offline: false,
        at: "2026-11-22T10:00:00.000Z",
      },
    ]);
  });
});
