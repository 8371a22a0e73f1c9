import { afterEach, describe, expect, it } from "vitest";
import {
  type ReconciliationSetup,
  reconciliationSetup,
  supplierInvoiceJson,
} from "../testing/gateway-app.js";

let s: ReconciliationSetup;
afterEach(async () => {
  await s?.close();
});

/** 4 WID received at the dock, a supplier invoice for 5: the book says 5, the count 4. */
async function site() {
  s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  await s.product("WID", 1200);
  const dock = s.node("dock-1");
  dock.move("receive", "WID", 4, "2026-03-03T07:00:00.000Z", { order: "PO-1" });
  dock.sync();
  const supplierInvoice = supplierInvoiceJson("S-1", "martin", [["WID", 5, 600]], {
    orderRef: "PO-1",
    issueDate: "2026-03-04",
  });
  const res = await s.call("POST", "/invoices/import", { body: [supplierInvoice] });
  if (res.status !== 201) throw new Error(res.text);
}

const stockGaps = async () =>
  (await s.call("GET", "/reconciliation?side=stock")).body.discrepancies.map(
    (d: { sku: string; observed: number; invoiced: number; difference: number }) => [
      d.sku,
      d.observed,
      d.invoiced,
      d.difference,
    ],
  );
const adjustments = () => s.store.db.prepare("SELECT * FROM stock_adjustments").all();

describe("POST /stock/adjustments", () => {
  it("posting the gap as a delta with a reason closes it, with a ledger entry naming who posted it", async () => {
    await site();
    expect(await stockGaps()).toEqual([["WID", 4, 5, -1]]);
    const res = await s.call("POST", "/stock/adjustments", {
      role: "warehouse",
      body: { sku: "WID", zone: "dock", delta: -1, reason: "one broken in the count of 03-20" },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      sku: "WID",
      zone: "dock",
      delta: -1,
      reason: "one broken in the count of 03-20",
      by: { kind: "token" },
      at: "2026-03-20T12:00:00.000Z",
    });
    expect(await stockGaps()).toEqual([]);

    const [entry, ...more] = s.gatewayEntries("stock.adjusted");
    expect(more).toEqual([]);
    expect(entry?.seq).toBe(res.body.entry);
    expect(entry?.data).toEqual({
      by: res.body.by,
      adjustment: {
        id: res.body.id,
        sku: "WID",
        zone: "dock",
        delta: -1,
        reason: "one broken in the count of 03-20",
      },
    });

    // Another token, another actor; the list is newest first.
    const admin = await s.call("POST", "/stock/adjustments", {
      role: "admin",
      body: { sku: "WID", delta: 2, reason: "two found behind the shelf" },
    });
    expect(admin.status, admin.text).toBe(201);
    expect(admin.body.by.id).not.toBe(res.body.by.id);
    expect(admin.body.zone).toBeNull();
    expect(await stockGaps()).toEqual([["WID", 4, 6, -2]]);
    const list = await s.call("GET", "/stock/adjustments?sku=WID", { role: "viewer" });
    expect(list.status).toBe(200);
    expect(list.body.adjustments.map((a: { delta: number }) => a.delta)).toEqual([2, -1]);
  });

  it.each([
    ["a delta of 0", { sku: "WID", delta: 0, reason: "x" }, "delta"],
    ["a fractional delta", { sku: "WID", delta: 1.5, reason: "x" }, "delta"],
    ["a delta given as text", { sku: "WID", delta: "-1", reason: "x" }, "delta"],
    ["a huge delta", { sku: "WID", delta: 10_000_000, reason: "x" }, "delta"],
    ["no reason", { sku: "WID", delta: -1 }, "reason"],
    ["a blank reason", { sku: "WID", delta: -1, reason: "   " }, "reason"],
    ["a reason too long", { sku: "WID", delta: -1, reason: "x".repeat(501) }, "reason"],
    ["no SKU", { delta: -1, reason: "x" }, "sku"],
    ["a bad zone", { sku: "WID", zone: "dock 2", delta: -1, reason: "x" }, "zone"],
    ["an unknown field", { sku: "WID", delta: -1, reason: "x", count: 3 }, ""],
  ])("refuses %s with 400 and where, changing nothing", async (_name, body, path) => {
    await site();
    const before = s.state();
    const res = await s.call("POST", "/stock/adjustments", { role: "warehouse", body });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect(res.body.error.problems.map((p: { path: string }) => p.path)).toContain(path);
    expect(s.state()).toBe(before);
    expect(adjustments()).toEqual([]);
    expect(await stockGaps()).toEqual([["WID", 4, 5, -1]]);
  });

  it("refuses a SKU known nowhere (a typo would open a new gap) with 422", async () => {
    await site();
    const before = s.state();
    const res = await s.call("POST", "/stock/adjustments", {
      role: "warehouse",
      body: { sku: "WDI", delta: -1, reason: "typo" },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error).toMatchObject({ code: "rule_refused", path: "sku" });
    expect(res.body.error.message).toContain("WDI");
    expect(s.state()).toBe(before);
    expect(adjustments()).toEqual([]);
  });

  it("is for admin and warehouse only: viewer and accounting get 403 and change nothing", async () => {
    await site();
    const before = s.state();
    for (const role of ["viewer", "accounting", "counter"] as const) {
      const res = await s.call("POST", "/stock/adjustments", {
        role,
        body: { sku: "WID", delta: -1, reason: "count" },
      });
      expect(res.status, role).toBe(403);
    }
    expect(s.state()).toBe(before);
    expect(adjustments()).toEqual([]);
    expect(await stockGaps()).toEqual([["WID", 4, 5, -1]]);
  });
});
