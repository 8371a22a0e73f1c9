import { describe, expect, it } from "vitest";
import { apiSetup, chainOf, enrolled, epc } from "../../testing/api.js";
import { type BadInputCase, expectRefusedUnchanged } from "../../testing/bad-input.js";

describe("gateway API: stock, tags, movements", () => {
  it("pages movements newest first with a cursor that survives new arrivals", async () => {
    const s = await apiSetup();
    await enrolled(s, "dock-1");
    await enrolled(s, "shelf-1");
    const dock = chainOf("dock-1");
    const shelf = chainOf("shelf-1");
    for (let i = 0; i < 3; i++) {
      s.clock.advance(1000);
      dock.move(epc(), null, "dock");
      dock.move(epc(), null, "dock");
      s.store.appendEntries("dock-1", dock.entries.splice(0));
      shelf.move(epc(), null, "shelf");
      s.store.appendEntries("shelf-1", shelf.entries.splice(0));
    }
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const query: string = `/movements?limit=4${next ? `&before=${next}` : ""}`;
      const page = (await (await s.call("GET", query, { role: "viewer" })).json()) as {
        movements: { chain: string; seq: number; receivedAt: string }[];
        next: string | null;
      };
      seen.push(...page.movements.map((m) => `${m.receivedAt} ${m.chain} ${m.seq}`));
      next = page.next;
      pages++;
      if (pages === 1) {
        s.clock.advance(1000);
        dock.move(epc(), null, "dock");
        s.store.appendEntries("dock-1", dock.entries.splice(0));
      }
    } while (next && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
    expect(
      [...seen]
        .sort()
        .reverse()
        .map((x) => x.slice(0, 24)),
    ).toEqual(seen.map((x) => x.slice(0, 24)));
    const filtered = (await (
      await s.call("GET", "/movements?node=shelf-1", { role: "viewer" })
    ).json()) as {
      movements: { chain: string }[];
    };
    expect(filtered.movements.map((m) => m.chain)).toEqual(["shelf-1", "shelf-1", "shelf-1"]);
  });
});

describe("gateway API: movement events", () => {
  it("groups a node's movements of one product, zones and order into events, with their EPCs and where a put-away came from", async () => {
    const s = await apiSetup();
    await enrolled(s, "dock-1");
    await enrolled(s, "shelf-1");
    await s.call("POST", "/products", {
      role: "admin",
      body: {
        sku: "SKU-1",
        name: "Hex bolt M8",
        unitPrice: { amount: 120, currency: "EUR" },
        unitCost: { amount: 40, currency: "EUR" },
      },
    });
    const dock = chainOf("dock-1");
    const shelf = chainOf("shelf-1");
    const move = (
      chain: ReturnType<typeof chainOf>,
      tag: string,
      kind: string,
      from: string | null,
      to: string | null,
      at: string,
      extra: object = {},
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
        at,
        ...extra,
      });
    const tags = [epc(), epc(), epc()];
    // A pallet of three through the dock's portal, within a second.
    for (const [i, tag] of tags.entries())
      move(dock, tag, "receive", null, "dock", `2026-03-01T10:00:0${i}.000Z`);
    s.store.appendEntries("dock-1", dock.entries.splice(0));
    s.clock.advance(1000);
    // Two put away on a shelf, which saw them arrive but not where from.
    for (const tag of tags.slice(0, 2))
      move(shelf, tag, "putaway", null, "bay-1", "2026-03-01T10:05:00.000Z");
    s.store.appendEntries("shelf-1", shelf.entries.splice(0));
    s.clock.advance(1000);
    // The third shipped for an order; later, another receipt of the same product: a new event.
    move(dock, tags[2] as string, "ship", "dock", null, "2026-03-01T10:10:00.000Z", {
      order: "SO-1",
      customer: "acme",
    });
    move(dock, epc(), "receive", null, "dock", "2026-03-01T11:00:00.000Z");
    s.store.appendEntries("dock-1", dock.entries.splice(0));

    const res = await s.call("GET", "/movements/events", { role: "viewer" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      events: { kind: string; count: number; epcs: string[]; [key: string]: unknown }[];
      complete: boolean;
    };
    expect(body.complete).toBe(true);
    const brief = body.events.map(({ chain, kind, count, from, to, cameFrom, order, name }) => ({
      chain,
      kind,
      count,
      from,
      to,
      cameFrom,
      order,
      name,
    }));
    expect(brief).toEqual([
      {
        chain: "dock-1",
        kind: "receive",
        count: 1,
        from: null,
        to: "dock",
        cameFrom: null,
        order: null,
        name: "Hex bolt M8",
      },
      {
        chain: "dock-1",
        kind: "ship",
        count: 1,
        from: "dock",
        to: null,
        cameFrom: null,
        order: "SO-1",
        name: "Hex bolt M8",
      },
      {
        chain: "shelf-1",
        kind: "putaway",
        count: 2,
        from: null,
        to: "bay-1",
        cameFrom: "dock",
        order: null,
        name: "Hex bolt M8",
      },
      {
        chain: "dock-1",
        kind: "receive",
        count: 3,
        from: null,
        to: "dock",
        cameFrom: null,
        order: null,
        name: "Hex bolt M8",
      },
    ]);
    expect([...(body.events[3]?.epcs ?? [])].sort()).toEqual([...tags].sort());
    const shelfOnly = (await (
      await s.call("GET", "/movements/events?node=shelf-1&zone=bay-1&kind=putaway", {
        role: "viewer",
      })
    ).json()) as { events: { epcs: string[] }[] };
    expect(shelfOnly.events.map((e) => e.epcs.length)).toEqual([2]);
    const byGtin = await s.call("GET", "/movements/events?gtin=03760123450034", { role: "viewer" });
    expect(((await byGtin.json()) as { events: unknown[] }).events).toEqual([]);
  });
});

describe("gateway API: bad input changes nothing", () => {
  const cases: BadInputCase[] = [
    {
      name: "movements: limit too large",
      method: "GET",
      path: "/movements?limit=5000",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "limit",
    },
    {
      name: "movements: forged cursor",
      method: "GET",
      path: "/movements?before=abc",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "before",
    },
  ];

  it.each(cases)("$name → $status $code", expectRefusedUnchanged);
});
