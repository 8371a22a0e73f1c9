import { describe, expect, it } from "vitest";
import { PendingSales } from "./pending.js";

const sale = (seq: number, amount: number, customer = "acme") => ({
  id: `pos-1-${seq}`,
  seq,
  customer,
  amount,
  at: "2026-11-27T10:00:00.000Z",
});

describe("pending own sales", () => {
  it("count until acknowledged and then covered by a newer snapshot; never cleared by a snapshot before the ack", () => {
    const pending = new PendingSales();
    pending.add(sale(3, 30_000));
    pending.add(sale(5, 15_000));
    pending.add(sale(6, 1_000, "other"));
    expect(pending.total("acme")).toBe(45_000);
    // A snapshot before any ack: the gateway may not have the sales yet.
    expect(pending.snapshot("acme", 7)).toBe(false);
    expect(pending.total("acme")).toBe(45_000);
    // The gateway stored up to seq 4: sale 3 waits for a snapshot newer than version 7.
    pending.acknowledged(4, () => 7);
    expect(pending.snapshot("acme", 7)).toBe(false);
    expect(pending.total("acme")).toBe(45_000);
    expect(pending.snapshot("acme", 8)).toBe(true);
    expect(pending.of("acme").map((s) => s.seq)).toEqual([5]);
    expect(pending.total("other")).toBe(1_000);
    // Adding the same seq twice (a replay) counts it once.
    pending.add(sale(5, 15_000));
    expect(pending.total("acme")).toBe(15_000);
  });

  it("a sale for a customer with no snapshot is covered by the first one after the ack", () => {
    const pending = new PendingSales();
    pending.add(sale(2, 500));
    pending.acknowledged(2, () => -1);
    expect(pending.snapshot("acme", 0)).toBe(true);
    expect(pending.total("acme")).toBe(0);
  });
});
