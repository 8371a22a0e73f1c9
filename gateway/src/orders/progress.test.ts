import { describe, expect, it } from "vitest";
import { addBilled, type OrderLineRow, type OrderProgress, openUnits } from "./progress.js";

const line = (n: number, sku: string, quantity: number): OrderLineRow => ({
  number: "SO-1",
  line: n,
  sku,
  gtin: null,
  quantity,
  unit_price: 100,
});

describe("an order's billed units", () => {
  it("adds invoice lines, counts a credit note's back, and skips a line with no product", () => {
    const invoiced = new Map<string, number>();
    addBilled(invoiced, { type: "invoice", product: "A", quantity: 5 });
    addBilled(invoiced, { type: "invoice", product: "A", quantity: 2.4 });
    addBilled(invoiced, { type: "credit-note", product: "A", quantity: -3 });
    addBilled(invoiced, { type: "invoice", product: null, quantity: 9 });
    addBilled(invoiced, { type: "invoice", product: "B", quantity: null });
    expect([...invoiced]).toEqual([["A", 4]]);
  });

  it("a credit note reopens the units it takes back", () => {
    const invoiced = new Map<string, number>();
    addBilled(invoiced, { type: "invoice", product: "A", quantity: 10 });
    const progress: OrderProgress = { shipped: new Map(), invoiced, invoicedAny: true };
    const lines = [line(1, "A", 6), line(2, "A", 6)];
    expect(openUnits(lines, progress)).toEqual([0, 2]);
    addBilled(invoiced, { type: "credit-note", product: "A", quantity: 4 });
    expect(openUnits(lines, progress)).toEqual([0, 6]);
  });
});
