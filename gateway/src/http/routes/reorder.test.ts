import { generateIdentity, type LedgerEntry } from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { describe, expect, it } from "vitest";
import { GATEWAY_CHAIN } from "../../ledger/gateway-ledger.js";
import { reconciliationPerTest } from "../../testing/gateway-app.js";

const T0 = "2026-03-05T09:00:00.000Z";
const site = reconciliationPerTest(T0);
const GTIN_2 = "03012345678900";

/** SKU-1 (cost 5.00) and SKU-2 (GTIN only on its tags, cost 12.50); customer C1 unlimited, C2 held at once. */
async function setup() {
  const s = await site();
  await s.product("SKU-1", 1000);
  await s.product("SKU-2", 2500, GTIN_2);
  await s.customer("C1");
  await s.customer("C2", undefined, { limit: 0 });
  return s;
}
type Setup = Awaited<ReturnType<typeof setup>>;

/** A node whose tags come in and go out as ingest stores them: the same EPCs both ways. */
function portal(s: Setup, id: string) {
  s.store.enrollNode(id, generateIdentity().publicKeyHex);
  const sealer = chainSealer(id);
  const pending: LedgerEntry[] = [];
  const here: { epc: string; product: string }[] = [];
  let tag = 0;
  const seal = (data: Record<string, unknown>, at: string) =>
    pending.push(
      sealer.seal("movement", { reader: "portal-1", antennas: [1], reads: 3, at, ...data }, at),
    );
  const identity = (product: string) =>
    product.startsWith("SKU-") ? { sku: product } : { sku: null, gtin: product };
  return {
    /** `count` new tags of a SKU (or an SGTIN's GTIN) into the dock. */
    receive(product: string, count: number, at: string) {
      for (let i = 0; i < count; i++) {
        tag++;
        const epc = `30350000${tag.toString(16).toUpperCase().padStart(16, "0")}`;
        here.push({ epc, product });
        seal({ epc, ...identity(product), kind: "receive", from: null, to: "dock" }, at);
      }
    },
    /** `count` of those tags out through the dock portal, for `extra.order` when given. */
    ship(product: string, count: number, at: string, extra: { order?: string; customer?: string }) {
      for (let i = 0; i < count; i++) {
        const index = here.findIndex((unit) => unit.product === product);
        const [unit] = here.splice(index, 1);
        if (!unit) throw new Error(`no ${product} left on site`);
        seal(
          { epc: unit.epc, ...identity(product), kind: "ship", from: "dock", to: null, ...extra },
          at,
        );
      }
    },
    sync() {
      s.store.appendEntries(id, pending.splice(0));
    },
  };
}

async function order(s: Setup, number: string, customer: string, sku: string, quantity: number) {
  const res = await s.call("POST", "/orders", {
    body: {
      number,
      customer,
      requestedShipDate: "2026-03-10",
      lines: [{ sku, quantity, unitPrice: 1000 }],
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.state as string;
}

const RULES = [
  { sku: "SKU-1", min: 5, pack: 10 },
  { sku: "SKU-2", leadTimeDays: 7, windowDays: 28, safetyStock: 2 },
];

describe("reorder API", () => {
  it("lists what to reorder: RFID on site minus open orders, the point with its inputs, whole packs at the next unit's cost; CSV too", async () => {
    const s = await setup();
    const dock = portal(s, "dock-1");
    dock.receive("SKU-1", 8, "2026-03-01T08:00:00.000Z");
    dock.receive(GTIN_2, 6, "2026-03-01T08:00:00.000Z");
    // Two units of SKU-2 left within the 28 days: 2 / 28 × 7 = 0.5 → 1, + 2 safety = 3.
    dock.ship(GTIN_2, 2, "2026-03-04T08:00:00.000Z", { customer: "C1" });
    dock.sync();
    expect(await order(s, "SO-1", "C1", "SKU-1", 3)).toBe("approved");
    expect(await order(s, "SO-2", "C2", "SKU-1", 4)).toBe("held"); // held: reserves nothing
    // One unit of SO-1 left: 7 on site, 2 still reserved.
    dock.ship("SKU-1", 1, "2026-03-05T08:30:00.000Z", { order: "SO-1", customer: "C1" });
    dock.sync();

    const put = await s.call("PUT", "/analytics/reorder/rules", {
      role: "warehouse",
      body: { rules: RULES },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ source: "api", setAt: T0 });
    const list = await s.call("GET", "/analytics/reorder", { role: "viewer" });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      asOf: T0,
      currency: "EUR",
      rows: [
        {
          sku: "SKU-1",
          name: "Product SKU-1",
          zone: null,
          onSite: 7,
          reserved: 2,
          available: 5,
          point: 5,
          target: 15,
          pack: 10,
          suggested: 10,
          inputs: null,
          unitCost: 500,
          amount: 5000,
          provisionalCost: true,
          toReorder: true,
          since: T0,
        },
      ],
    });
    // The new rules were checked at once: SKU-1 is at its point, one alert on the live feed.
    const alerts = s.live.filter((event) => event.type === "analytics").map((event) => event.data);
    expect(alerts).toMatchObject([{ kind: "reorder", subject: "SKU-1", sku: "SKU-1" }]);

    const all = await s.call("GET", "/analytics/reorder?all=true", { role: "warehouse" });
    expect(all.body.rows.map((row: { sku: string }) => row.sku)).toEqual(["SKU-1", "SKU-2"]);
    expect(all.body.rows[1]).toMatchObject({
      onSite: 4,
      reserved: 0,
      available: 4,
      point: 3,
      target: 6,
      suggested: 0,
      inputs: { averageDailyDemand: 0.0714, windowDays: 28, leadTimeDays: 7, safetyStock: 2 },
      unitCost: 1250,
      amount: 0,
      toReorder: false,
      since: null,
    });

    const csv = await s.call("GET", "/analytics/reorder?format=csv", { role: "accounting" });
    expect(csv.status).toBe(200);
    expect(csv.type).toContain("text/csv");
    expect(csv.text).toBe(
      "sku,name,quantity,unit_cost,amount,zone\r\nSKU-1,Product SKU-1,10,5.00,50.00,\r\n",
    );
  });

  it("rules: the config's until set; a set is recorded in the gateway ledger; only analytics:write may set", async () => {
    const s = await setup();
    expect((await s.call("GET", "/analytics/reorder/rules", { role: "viewer" })).body).toEqual({
      rules: [],
      source: "config",
      setAt: null,
    });
    const denied = await s.call("PUT", "/analytics/reorder/rules", {
      role: "viewer",
      body: { rules: RULES },
    });
    expect(denied.status).toBe(403);
    const put = await s.call("PUT", "/analytics/reorder/rules", { body: { rules: RULES } });
    expect(put.status).toBe(200);
    const got = await s.call("GET", "/analytics/reorder/rules", { role: "warehouse" });
    expect(got.body.rules).toMatchObject(RULES);
    expect(got.body.rules[0]).toEqual({
      sku: "SKU-1",
      min: 5,
      pack: 10,
      leadTimeDays: 7,
      safetyStock: 0,
      windowDays: 28,
      hysteresis: 1,
    });
    expect(s.gatewayEntries("reorder.rules-set").map((entry) => entry.data)).toMatchObject([
      { by: { kind: "token" }, rules: RULES, before: { source: "config", rules: [] } },
    ]);
  });

  it.each([
    [
      "a product not in the catalog",
      [RULES[0], { sku: "GHOST", min: 1 }],
      "rules[1].sku",
      "no product GHOST",
    ],
    [
      "the same product and zone twice",
      [RULES[0], { sku: "SKU-1", min: 2 }],
      "rules[1].sku",
      "already has a rule at rules[0]",
    ],
    [
      "the same product and zone twice (zoned)",
      [
        { sku: "SKU-1", zone: "pick-a", min: 2 },
        { sku: "SKU-1", zone: "pick-a", min: 3 },
      ],
      "rules[1].zone",
      "already has a rule",
    ],
    [
      "a target under the minimum",
      [{ sku: "SKU-1", min: 8, target: 5 }],
      "rules[0].target",
      "below min 8",
    ],
    ["a pack of 0", [{ sku: "SKU-1", min: 8, pack: 0 }], "rules[0].pack", ""],
  ])(
    "PUT refuses %s with 400 at the rule's path and changes nothing",
    async (_name, rules, path, text) => {
      const s = await setup();
      await s.call("PUT", "/analytics/reorder/rules", {
        body: { rules: [{ sku: "SKU-2", min: 1 }] },
      });
      const before = s.state();
      const rulesBefore = (await s.call("GET", "/analytics/reorder/rules")).body;
      const headBefore = [...s.store.entries(GATEWAY_CHAIN)].length;
      const res = await s.call("PUT", "/analytics/reorder/rules", { body: { rules } });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.path).toBe(path);
      expect(res.body.error.message).toContain(text);
      expect(s.state()).toBe(before);
      expect([...s.store.entries(GATEWAY_CHAIN)].length).toBe(headBefore);
      expect((await s.call("GET", "/analytics/reorder/rules")).body).toEqual(rulesBefore);
    },
  );

  it("refuses an unknown query parameter or format", async () => {
    const s = await setup();
    for (const query of ["?format=xml", "?all=yes", "?color=red"]) {
      const res = await s.call("GET", `/analytics/reorder${query}`);
      expect(res.status, query).toBe(400);
    }
  });
});
