import { describe, expect, it } from "vitest";
import { GENESIS_PREV } from "../hash.js";
import { sealEntry } from "../ledger/entry.js";
import type { LedgerEntry } from "../ledger/schema.js";
import type { MovementData } from "./events.js";
import { StockProjection } from "./projection.js";

let seq = 0;
function entry(type: string, data: unknown): LedgerEntry {
  seq++;
  return sealEntry({
    seq,
    ts: "2026-11-22T10:00:00.000Z",
    chain: "dock-1",
    type,
    data,
    prev: GENESIS_PREV,
  }).entry;
}

function move(
  epc: string,
  sku: string | null,
  kind: MovementData["kind"],
  from: string | null,
  to: string | null,
  at = "2026-11-22T10:00:00.000Z",
) {
  const data: MovementData = {
    epc,
    sku,
    kind,
    from,
    to,
    reader: "door",
    antennas: [1],
    reads: 3,
    at,
  };
  return entry("movement", data);
}

describe("stock projection", () => {
  it("counts items per SKU per zone as they are received, put away, picked and shipped", () => {
    const stock = new StockProjection();
    for (const e of [
      move("300000A1", "SKU-1", "receive", null, "dock"),
      move("300000A2", "SKU-1", "receive", null, "dock"),
      move("300000B1", "SKU-2", "receive", null, "dock"),
      move("300000A1", "SKU-1", "putaway", "dock", "shelf-a"),
      move("300000A2", "SKU-1", "putaway", "dock", "shelf-a"),
      move("300000A2", "SKU-1", "pick", "shelf-a", "dock"),
      move("300000A2", "SKU-1", "ship", "dock", null),
    ]) {
      stock.apply(e);
    }
    expect(stock.rows()).toEqual([
      { sku: "SKU-1", zone: "shelf-a", count: 1 },
      { sku: "SKU-2", zone: "dock", count: 1 },
    ]);
    expect(stock.rows({ zone: "dock" })).toEqual([{ sku: "SKU-2", zone: "dock", count: 1 }]);
    expect(stock.tag("300000A2")).toEqual({ sku: "SKU-1", zone: null });
    expect(stock.seq).toBe(seq);
  });

  it("keeps uncommissioned tags as unknown items until a commission names their SKU", () => {
    const stock = new StockProjection();
    stock.apply(move("C0FFEE01", null, "receive", null, "dock"));
    expect(stock.rows()).toEqual([{ sku: null, zone: "dock", count: 1 }]);
    stock.apply(entry("commission", { epc: "C0FFEE01", sku: "SKU-9" }));
    expect(stock.rows()).toEqual([{ sku: "SKU-9", zone: "dock", count: 1 }]);
    stock.apply(move("C0FFEE01", null, "putaway", "dock", "shelf-b"));
    expect(stock.tag("C0FFEE01")).toEqual({ sku: "SKU-9", zone: "shelf-b" });
  });

  it("ignores entries that do not move goods, and malformed movement data, but advances its seq", () => {
    const stock = new StockProjection();
    stock.apply(entry("checkpoint", { seq: 1 }));
    stock.apply(entry("movement", { epc: "not hex" }));
    expect(stock.rows()).toEqual([]);
    expect(stock.seq).toBe(seq);
  });

  it("rebuilds the same stock from its snapshot", () => {
    const stock = new StockProjection();
    stock.apply(move("300000A1", "SKU-1", "receive", null, "dock"));
    stock.apply(move("300000D1", null, "receive", null, "dock"));
    const copy = StockProjection.fromSnapshot(JSON.parse(JSON.stringify(stock.snapshot())));
    expect(copy.rows()).toEqual(stock.rows());
    expect(copy.seq).toBe(stock.seq);
    expect(copy.tagsIn("dock").sort()).toEqual(["300000A1", "300000D1"]);
  });
});

describe("news from another node arriving late", () => {
  const EPC = "3034257BF7194E4000000001";
  it("a pick seen before the item was sold does not bring it back", () => {
    const stock = new StockProjection();
    stock.apply(move(EPC, "A", "putaway", null, "bay-1", "2026-11-22T10:00:00.000Z"));
    // The counter's sale at 10:01 arrives before the shelf's pick at 10:00:30.
    stock.apply(move(EPC, "A", "sale", "bay-1", null, "2026-11-22T10:01:00.000Z"));
    stock.apply(move(EPC, "A", "pick", "bay-1", "picked", "2026-11-22T10:00:30.000Z"));
    expect(stock.rows()).toEqual([]);
    expect(stock.tag(EPC)).toEqual({ sku: "A", zone: null });
  });

  it("a return received after the sale, or a move seen after it, counts", () => {
    const stock = new StockProjection();
    stock.apply(move(EPC, "A", "sale", "bay-1", null, "2026-11-22T10:01:00.000Z"));
    // The receipt that first brought it in, synced late by an offline portal: history.
    stock.apply(move(EPC, "A", "receive", null, "dock", "2026-11-22T10:00:00.000Z"));
    expect(stock.rows()).toEqual([]);
    // The customer brings it back.
    stock.apply(move(EPC, "A", "receive", null, "dock", "2026-11-22T10:30:00.000Z"));
    expect(stock.rows()).toEqual([{ sku: "A", zone: "dock", count: 1 }]);
    stock.apply(move(EPC, "A", "ship", "dock", null, "2026-11-22T11:00:00.000Z"));
    stock.apply(move(EPC, "A", "putaway", "dock", "bay-2", "2026-11-22T11:05:00.000Z"));
    expect(stock.rows()).toEqual([{ sku: "A", zone: "bay-2", count: 1 }]);
  });
});
