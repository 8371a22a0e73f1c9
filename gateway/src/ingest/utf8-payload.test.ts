import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type LedgerEntry, type MovementData } from "@comptoir/contracts";
import { chainSealer, signedBatch } from "@comptoir/contracts/testing";
import { describe, expect, it } from "vitest";
import { Store } from "../store/store.js";
import { Ingest } from "./ingest.js";

/**
 * Issue 13, item 18: a ledger batch whose bytes are not UTF-8 is refused as
 * such. Decoded leniently, its entry no longer matched its hash, and the
 * node was told its own copy was corrupt, for one bad byte in transit.
 */
function chain(items: number): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const sealer = chainSealer("dock-1");
  for (let i = 0; i < items; i++) {
    const data: MovementData = {
      epc: `3034257BF7194E400000000${i}`,
      sku: "SKU-ZZZZ",
      kind: "receive",
      from: null,
      to: "dock",
      reader: "door",
      antennas: [1],
      reads: 1,
      at: "2026-11-22T10:00:00.000Z",
    };
    entries.push(sealer.seal("movement", data, "2026-11-22T10:00:00.000Z"));
  }
  return entries;
}

describe("MQTT ledger batches are UTF-8", () => {
  it("ignores a batch that is not UTF-8, naming it, and the node's chain stays good", async () => {
    const dock = generateIdentity();
    const store = new Store(join(await mkdtemp(join(tmpdir(), "comptoir-utf8-")), "gateway.db"));
    store.enrollNode("dock-1", dock.publicKeyHex);
    const ingest = new Ingest(store);
    const entries = chain(2);
    const text = signedBatch(dock, "dock-1", entries);
    // The SKU's four letters replaced by four bytes that are not UTF-8.
    const at = Buffer.from(text).indexOf("ZZZZ");
    const bad = Buffer.from(text);
    bad.set([0xff, 0xfe, 0xc3, 0x28], at);

    expect(ingest.handleBatch("dock-1", bad)).toEqual({
      kind: "ignored",
      reason: `not UTF-8 (byte offset ${at})`,
    });
    expect([...store.entries("dock-1")]).toEqual([]);
    expect(ingest.handleBatch("dock-1", Buffer.from(text))).toMatchObject({ kind: "ack", seq: 2 });
  });
});
