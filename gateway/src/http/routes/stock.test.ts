import { describe, expect, it } from "vitest";
import { apiSetup, chainOf, enrolled, epc } from "../../testing/api.js";
import { type BadInputCase, expectRefusedUnchanged } from "../../testing/bad-input.js";

describe("gateway API: stock, tags, movements", () => {
  it("answers stock now and as of a past time (entries received up to it, replayed)", async () => {
    const s = await apiSetup();
    await enrolled(s, "dock-1");
    const chain = chainOf("dock-1");
    const [a, b, c] = [epc(), epc(), epc()];
    chain.move(a, null, "dock");
    chain.move(b, null, "dock");
    chain.move(c, null, "dock", null);
    s.clock.set("2026-11-22T10:00:00.000Z");
    s.store.appendEntries("dock-1", chain.entries.splice(0));
    chain.move(a, "dock", "shelf-a");
    chain.push("commission", { epc: c, sku: "SKU-2" });
    chain.move(b, "dock", null);
    s.clock.set("2026-11-22T11:00:00.000Z");
    s.store.appendEntries("dock-1", chain.entries.splice(0));

    const stock = async (query: string) =>
      (await (await s.call("GET", `/stock${query}`, { role: "viewer" })).json()) as {
        asOf: string;
        rows: unknown[];
      };
    const now = await stock("");
    expect(now.rows).toEqual([
      { sku: "SKU-1", zone: "shelf-a", count: 1 },
      { sku: "SKU-2", zone: "dock", count: 1 },
    ]);
    const past = await stock("?asOf=2026-11-22T10:30:00Z");
    expect(past).toEqual({
      asOf: "2026-11-22T10:30:00.000Z",
      rows: [
        { sku: null, zone: "dock", count: 1 },
        { sku: "SKU-1", zone: "dock", count: 2 },
      ],
    });
    expect((await stock("?asOf=2026-11-22T10:30:00%2B01:00")).rows).toEqual([]);
    expect((await stock("?asOf=2026-11-22T11:00:00Z")).rows).toEqual(now.rows);
    expect((await stock("?asOf=2026-11-22T10:30:00Z&zone=dock&sku=SKU-1")).rows).toEqual([
      { sku: "SKU-1", zone: "dock", count: 2 },
    ]);
    // The items behind a stock row: which EPCs, and the movement that put each there.
    const items = async (query: string) =>
      (await (await s.call("GET", `/stock/items${query}`, { role: "viewer" })).json()) as {
        items: { epc: string; sku: string | null; kind: string | null }[];
        truncated: boolean;
      };
    expect(await items("?zone=shelf-a&sku=SKU-1")).toMatchObject({
      items: [{ epc: a, sku: "SKU-1", zone: "shelf-a", kind: "putaway" }],
      truncated: false,
    });
    expect((await items("?zone=dock")).items.map((item) => [item.epc, item.sku])).toEqual([
      [c, "SKU-2"],
    ]);
    expect(await items("?zone=yard")).toEqual({ items: [], truncated: false });
    const missingZone = await s.call("GET", "/stock/items", { role: "viewer" });
    expect(missingZone.status).toBe(400);
    expect(await missingZone.json()).toMatchObject({ error: { path: "zone" } });
    const tag = (await (
      await s.call("GET", `/tags/${a.toLowerCase()}`, { role: "warehouse" })
    ).json()) as {
      place: unknown;
      history: { seq: number }[];
    };
    // A tag's place says what the tag said: its commissioned SKU and its GTIN (none here).
    expect(tag.place).toEqual({ sku: "SKU-1", gtin: null, zone: "shelf-a" });
    expect(tag.history.map((m) => m.seq)).toEqual([4, 1]);
  });
});

describe("gateway API: bad input changes nothing", () => {
  const cases: BadInputCase[] = [
    {
      name: "stock: unknown parameter",
      method: "GET",
      path: "/stock?color=red",
      init: {},
      status: 400,
      code: "invalid_input",
    },
    {
      name: "stock: asOf without offset",
      method: "GET",
      path: "/stock?asOf=2026-11-22T10:00:00",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "asOf",
    },
  ];

  it.each(cases)("$name → $status $code", expectRefusedUnchanged);
});
