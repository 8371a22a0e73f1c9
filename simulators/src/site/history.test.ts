import { describe, expect, it } from "vitest";
import { generateHistory } from "./history.js";
import { DEFAULT_FAULTS } from "./history-faults.js";

describe("a generated site history", () => {
  const history = generateHistory();

  it("is the same for the same seed, and another for another seed", () => {
    expect(JSON.stringify(generateHistory())).toBe(JSON.stringify(history));
    expect(JSON.stringify(generateHistory({ seed: 7 }))).not.toBe(JSON.stringify(history));
  });

  it("makes every mistake asked for, each on its own order", () => {
    const asked = Object.values(DEFAULT_FAULTS).reduce((sum, n) => sum + n, 0);
    expect(history.answer.faults).toHaveLength(asked);
    const orders = history.answer.faults.map((fault) => fault.order);
    expect(new Set(orders).size).toBe(orders.length);
    expect(history.answer.counts.unknown_tag).toBe(DEFAULT_FAULTS.unknownTag);
    expect(history.answer.counts.unknown_product).toBe(0);

    // Per order and SKU, what the invoices billed less what the portals read, from the days themselves.
    const gaps = new Map<string, Map<string, number>>();
    const add = (order: string, sku: string, quantity: number) => {
      const skus = gaps.get(order) ?? new Map<string, number>();
      skus.set(sku, (skus.get(sku) ?? 0) + quantity);
      gaps.set(order, skus);
    };
    for (const day of history.days) {
      for (const movement of day.movements)
        if (movement.sku !== null) add(movement.order, movement.sku, -1);
      for (const invoice of day.invoices)
        for (const line of invoice.lines)
          if (invoice.orderRef && line.sku) add(invoice.orderRef, line.sku, line.quantity);
    }
    const off = (order: string) => [...(gaps.get(order) ?? [])].filter(([, gap]) => gap !== 0);
    const ordersOf = (fault: keyof typeof DEFAULT_FAULTS) =>
      history.answer.faults.filter((f) => f.fault === fault).map((f) => f.order);
    // One finding per SKU of an order shipped and never billed, or billed and never shipped.
    const skusOff = (fault: keyof typeof DEFAULT_FAULTS) =>
      ordersOf(fault).reduce((sum, order) => sum + off(order).length, 0);
    // A quantity mistake is one unit of one SKU: billed one more than read is the missing unit
    // (invoiced_not_shipped / invoiced_not_received), billed one less the surplus one
    // (shipped_not_invoiced, at once since the invoice names the SKU).
    const salesGaps = ordersOf("salesQuantityMismatch").map((order) => off(order));
    for (const found of salesGaps) expect(found.map(([, gap]) => Math.abs(gap))).toEqual([1]);
    for (const order of ordersOf("purchaseQuantityMismatch"))
      expect(off(order).map(([, gap]) => gap)).toEqual([1]);
    const billedMore = salesGaps.filter((found) => (found[0]?.[1] ?? 0) > 0).length;
    const billedLess = salesGaps.length - billedMore;
    const { counts } = history.answer;
    expect(counts.invoiced_not_shipped).toBe(skusOff("invoicedNotShipped") + billedMore);
    expect(counts.shipped_not_invoiced).toBe(skusOff("shippedNotInvoiced") + billedLess);
    expect(counts.invoiced_not_received).toBe(
      skusOff("invoicedNotReceived") + DEFAULT_FAULTS.purchaseQuantityMismatch,
    );
    expect(counts.received_not_invoiced).toBe(skusOff("receivedNotInvoiced"));
    expect(skusOff("shippedNotInvoiced")).toBeGreaterThanOrEqual(DEFAULT_FAULTS.shippedNotInvoiced);
  });

  it("without mistakes, goods and invoices agree (only the stock count can differ, by invoices still to come)", () => {
    const none = Object.fromEntries(Object.keys(DEFAULT_FAULTS).map((fault) => [fault, 0]));
    const clean = generateHistory({ faults: none });
    expect(clean.answer.faults).toEqual([]);
    const { stock_gap: _stock, ...others } = clean.answer.counts;
    expect(Object.values(others)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("ships only items received before, each once; reads are in time order per node", () => {
    const received = new Map<string, string>();
    const shipped = new Set<string>();
    const last = new Map<string, string>();
    for (const day of history.days)
      for (const movement of day.movements) {
        expect(movement.at >= (last.get(movement.node) ?? "")).toBe(true);
        last.set(movement.node, movement.at);
        if (movement.kind === "receive") received.set(movement.epc, movement.at);
        else if (movement.sku !== null) {
          expect(received.get(movement.epc), movement.epc).toBeDefined();
          expect(shipped.has(movement.epc), movement.epc).toBe(false);
          shipped.add(movement.epc);
        }
      }
  });

  it("what customers owe at the end is what was invoiced less credit notes, payments and write-offs", () => {
    let owed = 0;
    for (const day of history.days) {
      for (const invoice of day.invoices)
        if (invoice.direction === "customer")
          owed += invoice.type === "credit-note" ? -invoice.amountDue : invoice.amountDue;
      for (const payment of day.payments) owed -= payment.amount;
    }
    const open = history.answer.open[history.end] ?? [];
    expect(open.reduce((sum, item) => sum + item.open, 0)).toBe(owed - history.answer.writtenOff);
  });

  it("refuses a period that ends before it starts, or too short for its mistakes", () => {
    expect(() => generateHistory({ start: "2026-03-01", end: "2026-02-01" })).toThrow(
      "end 2026-02-01 is before start 2026-03-01",
    );
    expect(() => generateHistory({ start: "2026-03-01", end: "2026-03-10" })).toThrow(/too short/);
  });
});
