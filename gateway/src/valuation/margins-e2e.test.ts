import { generateIdentity, type LedgerEntry } from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { describe, expect, it } from "vitest";
import { AnalyticsAlerts } from "../analytics/alerts.js";
import { MarginFloorStore } from "../analytics/margin-floors.js";
import { MarginWatch } from "../analytics/margin-watch.js";
import { invoiceJson, reconciliationPerTest, supplierInvoiceJson } from "../testing/gateway-app.js";
import { ValuationService } from "./service.js";

/**
 * Margins from what is stored only: a dock's and a counter's chains, a
 * supplier invoice that costs the receipt, a customer invoice and a counter
 * sale, read through the site's valuation service (the gateway's default).
 */

const setup = reconciliationPerTest("2026-03-10T09:00:00.000Z");
const tag = (n: number) => `3034257BF7194E40${n.toString(16).toUpperCase().padStart(8, "0")}`;

function chain(s: Awaited<ReturnType<typeof setup>>, id: string) {
  s.store.enrollNode(id, generateIdentity().publicKeyHex);
  const sealer = chainSealer(id);
  const pending: LedgerEntry[] = [];
  const move = (
    n: number,
    kind: string,
    from: string | null,
    to: string | null,
    at: string,
    order: string,
  ) =>
    pending.push(
      sealer.seal(
        "movement",
        {
          epc: tag(n),
          sku: "DRL-18V",
          kind,
          from,
          to,
          reader: "portal-1",
          antennas: [1],
          reads: 3,
          at,
          order,
        },
        at,
      ),
    );
  return {
    move,
    push: (type: string, data: unknown, at: string) => pending.push(sealer.seal(type, data, at)),
    sync: () => s.store.appendEntries(id, pending.splice(0)),
  };
}

describe("margins end to end", () => {
  it("costs invoice and sale lines with the supplier's cost of the very units that left, and the watch alerts the lines under cost or under the floor, once", async () => {
    const s = await setup();
    await s.customer("bistro");
    await s.product("DRL-18V", 10_000);
    const dock = chain(s, "dock-1");
    for (const n of [1, 2, 3])
      dock.move(n, "receive", null, "dock", "2026-03-01T08:00:00.000Z", "PO-1");
    for (const n of [1, 2]) dock.move(n, "ship", "dock", null, "2026-03-02T08:00:00.000Z", "SO-1");
    dock.sync();
    const supplier = await s.call("POST", "/invoices", {
      body: supplierInvoiceJson("F-77", "Outils SA", [["DRL-18V", 3, 8200]], { orderRef: "PO-1" }),
    });
    expect(supplier.status, supplier.text).toBe(201);
    const valuation = new ValuationService({ db: s.store.db, clock: s.clock });
    const alerts = new AnalyticsAlerts(s.store.db, { clock: s.clock });
    const floors = new MarginFloorStore(s.store.db, {
      ledger: s.ledger,
      clock: s.clock,
      seed: { default: 10, categories: {}, products: {} },
    });
    const watch = new MarginWatch({
      db: s.store.db,
      valuation,
      alerts,
      floors,
      currency: "EUR",
      clock: s.clock,
    });

    const billed = await s.call("POST", "/invoices", {
      body: invoiceJson(
        "INV-000012",
        "bistro",
        [
          ["DRL-18V", 1, 8000],
          ["DRL-18V", 1, 10_000],
        ],
        { orderRef: "SO-1" },
      ),
    });
    expect(billed.status, billed.text).toBe(201);
    const pos = chain(s, "pos-1");
    const at = "2026-03-05T10:00:00.000Z";
    pos.push(
      "sale",
      {
        id: "pos-1-1",
        payment: "cash",
        clerk: "ana",
        currency: "EUR",
        lines: [
          {
            sku: "DRL-18V",
            name: "Drill",
            epcs: [tag(3)],
            quantity: 1,
            unitPrice: 8500,
            lineTotal: 8500,
          },
        ],
        total: 8500,
        at,
      },
      at,
    );
    pos.move(3, "sale", "counter", null, "2026-03-05T10:00:01.000Z", "pos-1-1");
    pos.sync();

    // The API's floors are the config's (none here); the watch below holds them to 10 %.
    const res = await s.call("GET", "/valuation/margins", { role: "viewer" });
    expect(res.status, res.text).toBe(200);
    expect(
      res.body.rows.map((r: Record<string, unknown>) => [
        r.document,
        r.line,
        r.cogs,
        r.margin,
        r.flag,
        r.provisional,
      ]),
    ).toEqual([
      ["INV-000012", "1", 8200, -200, "below-cost", false],
      ["INV-000012", "2", 8200, 1800, "ok", false],
      ["pos-1-1", "1", 8200, 300, "ok", false],
    ]);
    expect(watch.check().map((a) => [a.kind, a.subject])).toEqual([
      ["below-cost", "invoice:INV-000012:1"],
      ["below-margin", "sale:pos-1-1:1"],
    ]);
    expect(watch.check()).toEqual([]);
  });
});
