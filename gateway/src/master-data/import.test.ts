import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, ManualClock } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import type { CatalogChange } from "../catalog/changes.js";
import { Catalog } from "../catalog/service.js";
import { GATEWAY_CHAIN, GatewayLedger } from "../ledger/gateway-ledger.js";
import { Store } from "../store/store.js";
import { importCustomers, importProducts, MasterDataRefusedError } from "./index.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function open() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-master-data-"));
  dirs.push(dir);
  const clock = new ManualClock("2026-12-07T09:00:00.000Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const catalog = new Catalog(store.db, ledger, { clock });
  const told: CatalogChange[] = [];
  catalog.onChange((change) => told.push(change));
  const entries = () =>
    [...store.entries(GATEWAY_CHAIN)].filter((entry) => entry.type !== "checkpoint");
  return { store, catalog, told, entries, deps: { catalog, currency: "EUR" } };
}

const importer = { kind: "system", id: "file-drop" } as const;
const run = { dryRun: false, actor: importer };

const CUSTOMERS = `id,name,credit_limit,currency,payment_terms_days
acme,ACME Bâtiment,5000.00,EUR,30
bistro,Le Bistro,unlimited,,45
`;

describe("importing a file of customers", () => {
  it("creates, then updates or leaves each one, recording only what changed with what it was before", async () => {
    const { catalog, entries, deps } = await open();
    const first = importCustomers(deps, { ...run, text: CUSTOMERS, format: "csv" });
    expect(first).toMatchObject({ ok: true, created: ["acme", "bistro"], updated: [] });
    expect(catalog.customer("acme")?.creditLimit).toEqual({ amount: 500000, currency: "EUR" });
    expect(catalog.customer("bistro")?.creditLimit).toBe("unlimited");

    const second = importCustomers(deps, {
      ...run,
      text: CUSTOMERS.replace("5000.00,EUR,30", "7500,EUR,60"),
      format: "csv",
    });
    expect(second).toMatchObject({
      ok: true,
      created: [],
      updated: ["acme"],
      unchanged: ["bistro"],
    });
    expect(entries().map((entry) => entry.type)).toEqual([
      "customer.created",
      "customer.created",
      "customer.changed",
    ]);
    expect(entries()[2]?.data).toMatchObject({
      by: importer,
      customer: { id: "acme", paymentTermsDays: 60 },
      before: { id: "acme", paymentTermsDays: 30, creditLimit: { amount: 500000 } },
    });
  });

  it("runs the caller's own work in the same transaction: if it fails, nothing of the file is kept", async () => {
    const { catalog, entries, told, deps } = await open();
    let seen: unknown;
    expect(() =>
      importCustomers(deps, {
        ...run,
        text: CUSTOMERS,
        format: "csv",
        within: (imported) => {
          seen = imported.created;
          throw new Error("bookkeeping failed");
        },
      }),
    ).toThrow("bookkeeping failed");
    expect(seen).toEqual(["acme", "bistro"]);
    expect(catalog.customers()).toEqual([]);
    expect(entries()).toEqual([]);
    expect(told).toEqual([]);
  });

  it("tells the listeners (credit snapshots) once, with every customer written", async () => {
    const { told, deps } = await open();
    importCustomers(deps, { ...run, text: CUSTOMERS, format: "csv" });
    expect(told).toEqual([{ kind: "customer", ids: ["acme", "bistro"] }]);
  });

  it("inside a caller's own held transaction: told after it commits, rolled back whole on a refusal", async () => {
    const { store, catalog, told, entries, deps } = await open();
    const journal = (file: string) =>
      store.db.prepare("INSERT INTO journal (file) VALUES (?)").run(file);
    store.db.exec("CREATE TABLE journal (file TEXT)");
    const take = (file: string, text: string) =>
      catalog.hold(() =>
        store.db.transaction(() => {
          const toldBefore = told.length;
          const outcome = importCustomers(deps, { ...run, text, format: "csv" });
          // Not yet: the caller's transaction has not committed.
          expect(told).toHaveLength(toldBefore);
          if (!outcome.ok) throw new MasterDataRefusedError(outcome);
          journal(file);
        })(),
      );
    take("a.csv", CUSTOMERS);
    expect(told).toEqual([{ kind: "customer", ids: ["acme", "bistro"] }]);
    const bad = CUSTOMERS.replace("acme,ACME Bâtiment,5000.00", "acme,ACME Bâtiment,lots");
    expect(() => take("b.csv", bad.replace("bistro,Le Bistro", "carl,Carl"))).toThrow(
      'line 2, credit_limit: "lots" is not a decimal amount such as 12.34 (write it like 1234.50) — nothing imported',
    );
    expect(catalog.customer("carl")).toBeUndefined();
    expect(store.db.prepare("SELECT file FROM journal").all()).toEqual([{ file: "a.csv" }]);
    expect(entries()).toHaveLength(2);
    expect(told).toHaveLength(1);
  });
});

const product = (sku: string, gtin: string | null, gtins: string[] = []) => ({
  sku,
  name: `Product ${sku}`,
  gtin,
  gtins,
  unitPrice: { amount: 1000, currency: "EUR" },
  unitCost: { amount: 600, currency: "EUR" },
});

describe("importing a file of products", () => {
  it("moves a GTIN from one product to another given in the same file, whatever their order", async () => {
    const { catalog, told, deps } = await open();
    const json = (products: unknown[]) => JSON.stringify({ products });
    importProducts(deps, {
      ...run,
      format: "json",
      text: json([product("A", "03012345678902"), product("B", null)]),
    });
    // B takes A's GTIN and is written first: A gives it up further down.
    const moved = importProducts(deps, {
      ...run,
      format: "json",
      text: json([product("B", "03012345678902"), product("A", null, ["13012345678909"])]),
    });
    expect(moved).toMatchObject({ ok: true, updated: ["B", "A"] });
    expect(catalog.skuOfGtin("03012345678902")).toBe("B");
    expect(catalog.product("A")?.gtins).toEqual(["13012345678909"]);
    // The catalog went out once per file, not once per product.
    expect(told).toEqual([
      { kind: "product", ids: ["A", "B"] },
      { kind: "product", ids: ["B", "A"] },
    ]);
  });

  it("refuses a GTIN held by a product the file leaves alone (409), naming the line and the holder", async () => {
    const { catalog, entries, deps } = await open();
    catalog.saveProduct(product("HELD", "03012345678902"), importer, "create");
    const before = entries().length;
    const outcome = importProducts(deps, {
      ...run,
      format: "csv",
      text: "sku,name,gtin,unit_price,unit_cost\nNEW,New,3012345678902,1.00,0.50\n",
    });
    expect(outcome).toEqual({
      ok: false,
      status: 409,
      problems: [
        {
          path: "line 2, gtin",
          message:
            "GTIN 03012345678902 already belongs to product HELD: leave it out, or move it by giving HELD in the same file without it",
        },
      ],
    });
    expect(catalog.product("NEW")).toBeUndefined();
    expect(entries()).toHaveLength(before);
  });

  it("on a dry run lists what would happen and writes nothing, not even the caller's work", async () => {
    const { catalog, entries, told, deps } = await open();
    let called = false;
    const outcome = importProducts(deps, {
      ...run,
      dryRun: true,
      format: "json",
      text: JSON.stringify([product("A", null)]),
      within: () => {
        called = true;
      },
    });
    expect(outcome).toEqual({ ok: true, dryRun: true, created: ["A"], updated: [], unchanged: [] });
    expect(catalog.products()).toEqual([]);
    expect(entries()).toEqual([]);
    expect(told).toEqual([]);
    expect(called).toBe(false);
  });
});
