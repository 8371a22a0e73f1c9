import { AbcReportSchema, type MovementKind, RotationReportSchema } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { AnalyticsAlerts } from "../../analytics/alerts.js";
import { apiSetup, chainOf, enrolled, epc } from "../../testing/api.js";
import { type BadInputCase, expectRefusedUnchanged, PRODUCT } from "../../testing/bad-input.js";

const DAY = 86_400_000;

/**
 * A site at 2026-11-22 09:00: Green tea (SKU-1, catalog cost 4.00). Unit A
 * came in 40 days ago, B 20 days ago; B left 5 days ago from shelf-a while
 * A was still on site (a FIFO breach).
 */
async function site() {
  const s = await apiSetup();
  await enrolled(s, "dock-1");
  const created = await s.call("POST", "/products", {
    role: "admin",
    body: {
      ...PRODUCT,
      sku: "SKU-1",
      gtin: "03453120000028",
      name: "Green tea",
      unitCost: { amount: 400, currency: "EUR" },
    },
  });
  expect(created.status).toBe(201);
  const chain = chainOf("dock-1");
  const now = s.clock.now().getTime();
  const move = (
    tag: string,
    kind: MovementKind,
    from: string | null,
    to: string | null,
    daysAgo: number,
  ) =>
    chain.push("movement", {
      epc: tag,
      sku: "SKU-1",
      kind,
      from,
      to,
      reader: "r1",
      antennas: [1],
      reads: 3,
      at: new Date(now - daysAgo * DAY).toISOString(),
    });
  const [a, b] = [epc(), epc()];
  move(a, "receive", null, "dock", 40);
  move(b, "receive", null, "dock", 20);
  move(b, "putaway", "dock", "shelf-a", 19);
  move(b, "ship", "shelf-a", null, 5);
  s.store.appendEntries("dock-1", chain.entries.splice(0));
  return { ...s, a, b };
}

describe("analytics API", () => {
  it("rotation, dwell and FIFO discipline from the stored movements, JSON and CSV", async () => {
    const s = await site();
    const get = async (path: string, role: "viewer" | "warehouse" = "viewer") => {
      const res = await s.call("GET", path, { role });
      expect(res.status, await res.clone().text()).toBe(200);
      return res;
    };
    const rotation = RotationReportSchema.parse(await (await get("/analytics/rotation")).json());
    expect(rotation).toMatchObject({ days: 30, currency: "EUR", to: "2026-11-22T09:00:00.000Z" });
    expect(rotation.rows).toEqual([
      expect.objectContaining({
        sku: "SKU-1",
        name: "Green tea",
        // B left, but FIFO drew A's unit: catalog cost (no invoice yet).
        cogs: 400,
        unitsOut: 1,
        dwellDays: { mean: 15, median: 15, max: 15 },
        onSite: 1,
        oldestAgeDays: 40,
        fifoBreaches: 1,
      }),
    ]);
    const csv = await get("/analytics/rotation?format=csv", "warehouse");
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect((await csv.text()).split("\r\n")[1]).toMatch(/^SKU-1,Green tea,4\.00,/);

    const dwell = (await (await get("/analytics/dwell?sku=SKU-1")).json()) as {
      buckets: { label: string; count: number }[];
      oldest: { epc: string; ageDays: number; zone: string | null }[];
    };
    expect(dwell.buckets.map((bucket) => [bucket.label, bucket.count])).toEqual([
      ["0-1", 0],
      ["1-7", 0],
      ["7-30", 1],
      ["30-90", 0],
      ["90+", 0],
    ]);
    expect(dwell.oldest).toEqual([
      expect.objectContaining({ epc: s.a, ageDays: 40, zone: "dock" }),
    ]);
    expect((await (await get("/analytics/dwell?format=csv")).text()).split("\r\n")[1]).toMatch(
      new RegExp(`^${s.a},SKU-1,Green tea,dock,`),
    );

    const fifo = (await (await get("/analytics/fifo")).json()) as {
      bySku: unknown[];
      byZone: unknown[];
      examples: { epc: string; olderEpc: string }[];
    };
    expect(fifo.bySku).toEqual([
      { sku: "SKU-1", name: "Green tea", out: 1, breaches: 1, rate: 100 },
    ]);
    expect(fifo.byZone).toEqual([{ zone: "shelf-a", out: 1, breaches: 1, rate: 100 }]);
    expect(fifo.examples).toMatchObject([{ epc: s.b, olderEpc: s.a }]);
    // Before the shipment: nothing out.
    const before = (await (await get("/analytics/fifo?to=2026-11-10T00:00:00Z")).json()) as {
      bySku: unknown[];
    };
    expect(before.bySku).toEqual([]);
  });

  it("ABC computed, recorded on request (analytics:write), previous and the history of changes", async () => {
    const s = await site();
    const abc = async () =>
      AbcReportSchema.parse(
        await (await s.call("GET", "/analytics/abc", { role: "viewer" })).json(),
      );
    const computed = await abc();
    expect(computed).toMatchObject({ thresholds: { a: 80, b: 95 }, runAt: null });
    expect(computed.rows).toEqual([
      {
        sku: "SKU-1",
        name: "Green tea",
        value: 400,
        share: 100,
        cumulative: 100,
        class: "A",
        previous: null,
      },
    ]);
    expect((await s.call("POST", "/analytics/abc/run", { role: "viewer" })).status).toBe(403);
    const run = await s.call("POST", "/analytics/abc/run", { role: "warehouse" });
    expect(run.status).toBe(201);
    expect(await run.json()).toMatchObject({
      runAt: "2026-11-22T09:00:00.000Z",
      rows: [{ class: "A", previous: null }],
    });
    expect((await abc()).rows[0]?.previous).toBe("A");

    const history = await s.call("GET", "/analytics/abc/history", { role: "viewer" });
    expect(await history.json()).toEqual({
      changes: [
        {
          runAt: "2026-11-22T09:00:00.000Z",
          sku: "SKU-1",
          from: null,
          to: "A",
          value: 400,
          share: 100,
        },
      ],
    });
    s.clock.advance(DAY);
    expect((await s.call("POST", "/analytics/abc/run", { role: "admin" })).status).toBe(201);
    // Still A: no new change.
    const csv = await (
      await s.call("GET", "/analytics/abc/history?format=csv", { role: "viewer" })
    ).text();
    expect(csv.split("\r\n")).toEqual([
      "run_at,sku,from,to,value,share_percent,currency",
      "2026-11-22T09:00:00.000Z,SKU-1,,A,4.00,100,EUR",
      "",
    ]);
  });

  it("alerts: margin kinds only for tokens that may read valuation", async () => {
    const s = await site();
    const alerts = new AnalyticsAlerts(s.store.db, { clock: s.clock });
    alerts.raise({
      kind: "slow-mover",
      subject: "SKU-1",
      sku: "SKU-1",
      message: "slow",
      detail: {},
    });
    alerts.raise({
      kind: "below-cost",
      subject: "sale:S1:SKU-1",
      sku: "SKU-1",
      message: "under cost",
      detail: {},
    });
    alerts.raise({
      kind: "reorder",
      subject: "SKU-1",
      sku: "SKU-1",
      message: "reorder",
      detail: {},
    });
    alerts.clear("reorder", "SKU-1");
    const kinds = async (query: string, role: "viewer" | "warehouse") => {
      const res = await s.call("GET", `/analytics/alerts${query}`, { role });
      expect(res.status).toBe(200);
      return ((await res.json()) as { alerts: { kind: string }[] }).alerts.map((a) => a.kind);
    };
    expect(await kinds("", "viewer")).toEqual(["below-cost", "slow-mover"]);
    expect(await kinds("?all=true", "viewer")).toEqual(["reorder", "below-cost", "slow-mover"]);
    expect(await kinds("", "warehouse")).toEqual(["slow-mover"]);
    expect(await kinds("?all=true&limit=1", "warehouse")).toEqual(["reorder"]);
    expect(await kinds("?kind=below-cost", "warehouse")).toEqual([]);
    expect(await kinds("?kind=below-cost", "viewer")).toEqual(["below-cost"]);
    const csv = await s.call("GET", "/analytics/alerts?format=csv", { role: "warehouse" });
    expect((await csv.text()).split("\r\n").slice(0, 2)).toEqual([
      "id,kind,subject,sku,message,raised_at,cleared_at",
      "1,slow-mover,SKU-1,SKU-1,slow,2026-11-22T09:00:00.000Z,",
    ]);
    expect((await s.call("GET", "/analytics/alerts", { role: "counter" })).status).toBe(403);
  });
});

describe("analytics API: bad input changes nothing", () => {
  const cases: BadInputCase[] = [
    [
      "rotation: from after to",
      "/analytics/rotation?from=2026-11-20T00:00:00Z&to=2026-11-10T00:00:00Z",
      "from",
    ],
    ["rotation: time without offset", "/analytics/rotation?from=2026-11-20T00:00:00", "from"],
    ["dwell: limit 0", "/analytics/dwell?limit=0", "limit"],
    ["fifo: unknown parameter", "/analytics/fifo?zone=a", undefined],
    ["abc: bad format", "/analytics/abc?format=xml", "format"],
    ["alerts: unknown kind", "/analytics/alerts?kind=late", "kind"],
  ].map(([name, path, at]) => ({
    name: name as string,
    method: "GET",
    path: path as string,
    init: {},
    status: 400,
    code: "invalid_input",
    ...(at ? { path_: at } : {}),
  }));
  it.each(cases)("$name → $status $code", expectRefusedUnchanged);
});
