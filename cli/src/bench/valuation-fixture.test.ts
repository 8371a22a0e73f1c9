import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Store } from "@comptoir/gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillValuationFixture, type ValuationFixture } from "./valuation-fixture.js";

describe("valuation bench fixture", () => {
  let dir: string;
  let store: Store;
  let fixture: ValuationFixture;
  const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "comptoir-valuation-fixture-"));
    store = new Store(join(dir, "gateway.db"));
    fixture = fillValuationFixture(store, { movements: 20_000, supplierLines: 2_000, heldBack: 3 });
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes exactly the movements and supplier invoice lines asked, each movement with its entry", () => {
    expect(count("SELECT COUNT(*) AS n FROM movements")).toBe(20_000);
    expect(fixture.movements).toBe(20_000);
    expect(count("SELECT COUNT(*) AS n FROM entries WHERE type = 'movement'")).toBe(20_000);
    expect(count("SELECT COUNT(*) AS n FROM invoice_lines WHERE direction = 'supplier'")).toBe(
      2_000,
    );
    expect(fixture.supplierLines).toBe(2_000);
    expect(count("SELECT COUNT(*) AS n FROM invoices WHERE direction = 'supplier'")).toBe(
      fixture.supplierInvoices,
    );
    const kinds = store.db
      .prepare("SELECT kind, COUNT(*) AS n FROM movements GROUP BY kind")
      .all() as { kind: string; n: number }[];
    for (const { kind, n } of kinds) expect(fixture.byKind[kind]).toBe(n);
    expect(Object.values(fixture.byKind).reduce((a, b) => a + b, 0)).toBe(20_000);
    for (const kind of ["receive", "putaway", "pick", "ship", "sale"])
      expect(fixture.byKind[kind]).toBeGreaterThan(0);
  });

  it("gives every chain contiguous seqs in time order, and every unit a receipt before anything else", () => {
    const chains = store.db
      .prepare("SELECT chain, COUNT(*) AS n, MAX(seq) AS last FROM movements GROUP BY chain")
      .all() as { chain: string; n: number; last: number }[];
    for (const { chain, n, last } of chains) {
      expect(last).toBe(n);
      expect(fixture.heads.get(chain)).toBe(last);
      expect(store.node(chain)?.head.seq).toBe(last);
    }
    expect(
      count(`SELECT COUNT(*) AS n FROM movements a JOIN movements b ON b.chain = a.chain AND b.seq = a.seq + 1
             WHERE b.at < a.at`),
    ).toBe(0);
    expect(
      count(
        `SELECT COUNT(*) AS n FROM (SELECT epc, kind, MIN(at) FROM movements GROUP BY epc) WHERE kind <> 'receive'`,
      ),
    ).toBe(0);
    expect(count("SELECT COUNT(DISTINCT epc) AS n FROM movements")).toBe(fixture.units);
  });

  it("names the PO on receipts and the sales order on shipments, and leaves the held-back POs uninvoiced", () => {
    expect(
      count(
        "SELECT COUNT(*) AS n FROM entries WHERE json_extract(data, '$.kind') = 'receive' AND json_extract(data, '$.order') LIKE 'PO-%'",
      ),
    ).toBe(fixture.byKind.receive);
    expect(
      count(
        "SELECT COUNT(*) AS n FROM entries WHERE json_extract(data, '$.kind') = 'ship' AND json_extract(data, '$.order') LIKE 'SO-%'",
      ),
    ).toBe(fixture.byKind.ship);
    expect(fixture.heldBack.map((held) => held.order)).toEqual(["PO-0", "PO-1", "PO-2"]);
    expect(
      count("SELECT COUNT(*) AS n FROM invoices WHERE order_ref IN ('PO-0', 'PO-1', 'PO-2')"),
    ).toBe(0);
    expect(fixture.heldBack[0]?.lines[0]?.sku).toBe(fixture.heavySku);
    expect(fixture.heavyExitsAfterHeldBack).toBeGreaterThan(0);
    expect(fixture.lateLines).toBeGreaterThan(0);
    expect(fixture.provisionalLayers).toBeGreaterThan(0);
  });

  it("leaves the tags and stock where the last movement of each unit put them", () => {
    expect(count("SELECT COUNT(*) AS n FROM tags WHERE zone IS NOT NULL")).toBe(
      fixture.onSite.length,
    );
    expect(count("SELECT SUM(count) AS n FROM stock")).toBe(fixture.onSite.length);
    expect(
      count(`SELECT COUNT(*) AS n FROM tags t JOIN movements m ON m.chain = t.chain AND m.seq = t.seq
             WHERE m.epc <> t.epc OR m.to_zone IS NOT t.zone`),
    ).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM products")).toBe(fixture.products);
  });
});
