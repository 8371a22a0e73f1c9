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
