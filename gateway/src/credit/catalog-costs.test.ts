import { type Catalog, CatalogSchema, generateIdentity, siteTopics } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { CreditService, GatewayLedger } from "../index.js";
import { cleanupAfterEach, connectedNode, embeddedBroker, eventually } from "../testing/broker.js";

const SITE = "site-1";
const topics = siteTopics(SITE);
const defer = cleanupAfterEach();
const ADMIN = { kind: "system", id: "test" } as const;

/**
 * The catalog counters receive carries each product's next unit's cost from
 * an injected `costOf` (the valuation book's, once wired), and is published
 * again on request when those costs change.
 */
describe("the published catalog's unit costs (real embedded broker)", () => {
  it("come from costOf, are left out where it knows none, and a republish sends the new costs in a new version", async () => {
    const gateway = await embeddedBroker(defer, { site: SITE });
    const { store, bus } = gateway;
    const ledger = new GatewayLedger(store, generateIdentity());
    const costs = new Map<string, number>([["SKU-1", 812]]);
    const credit = new CreditService({
      store,
      ledger,
      bus,
      site: SITE,
      costOf: (sku) => costs.get(sku),
    });
    for (const sku of ["SKU-1", "SKU-2"])
      credit.catalog.saveProduct(
        {
          sku,
          name: sku,
          unitPrice: { amount: 1250, currency: "EUR" },
          unitCost: { amount: 700, currency: "EUR" },
        },
        ADMIN,
        "create",
      );
    const { client } = await connectedNode(defer, gateway, "pos-1");
    const catalogs: Catalog[] = [];
    client.on("message", (topic, payload) => {
      if (topic === topics.catalog())
        catalogs.push(CatalogSchema.parse(JSON.parse(payload.toString())));
    });
    await client.subscribeAsync(topics.catalog(), { qos: 1 });
    const first = await credit.republishCatalog();
    await eventually(() => catalogs.at(-1)?.version === first.version);
    expect(catalogs.at(-1)?.products).toEqual([
      { sku: "SKU-1", name: "SKU-1", unitPrice: 1250, unitCost: 812 },
      // costOf knows no cost for it: no cost is sent, and counters never flag it.
      { sku: "SKU-2", name: "SKU-2", unitPrice: 1250 },
    ]);

    // A supplier invoice revalued the layers: the new costs go out in a new version.
    costs.set("SKU-1", 1300.4);
    costs.set("SKU-2", 650);
    const second = await credit.republishCatalog();
    expect(second.version).toBeGreaterThan(first.version);
    await eventually(() => catalogs.at(-1)?.version === second.version);
    expect(catalogs.at(-1)?.products.map((p) => p.unitCost)).toEqual([1300, 650]);
  });

  it("without costOf, the catalog's own unit cost is published", async () => {
    const { store } = await embeddedBroker(defer, { site: SITE });
    const credit = new CreditService({
      store,
      ledger: new GatewayLedger(store, generateIdentity()),
    });
    credit.catalog.saveProduct(
      {
        sku: "SKU-3",
        name: "SKU-3",
        unitPrice: { amount: 900, currency: "EUR" },
        unitCost: { amount: 950, currency: "EUR" },
      },
      ADMIN,
      "create",
    );
    const published = await credit.republishCatalog();
    expect(published.products).toEqual([
      { sku: "SKU-3", name: "SKU-3", unitPrice: 900, unitCost: 950 },
    ]);
  });
});
