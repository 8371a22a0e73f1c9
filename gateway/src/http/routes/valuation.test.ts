import { describe, expect, it } from "vitest";
import { type ApiSetup, apiSetup, chainOf, enrolled, epc } from "../../testing/api.js";
import { type BadInputCase, expectRefusedUnchanged } from "../../testing/bad-input.js";
import { supplierInvoiceJson } from "../../testing/gateway-app.js";

const at = (time: string) => `2026-11-22T${time}.000Z`;

/**
 * Tea (catalog cost 5.00): three units received under PO-1 (invoiced later
 * at 4.20), one put away on shelf-1, one shipped for SO-1; besides, an item
 * of a GTIN no product has and a plain tag.
 */
async function site(): Promise<{ s: ApiSetup; tags: string[] }> {
  // A French site: its CSV stays machine-readable all the same (ISO times, dot decimals).
  const s = await apiSetup({
    site: { locale: "fr-FR", currency: "EUR", timeZone: "Europe/Paris" },
  });
  await enrolled(s, "dock-1");
  const product = await s.call("POST", "/products", {
    role: "admin",
    body: {
      sku: "TEA",
      name: "Thé vert",
      unitPrice: { amount: 900, currency: "EUR" },
      unitCost: { amount: 500, currency: "EUR" },
    },
  });
  expect(product.status).toBe(201);
  const chain = chainOf("dock-1");
  const tags = [epc(), epc(), epc(), epc(), epc()];
  const move = (
    tag: string,
    kind: string,
    from: string | null,
    to: string | null,
    time: string,
    extra: object = {},
  ) =>
    chain.push("movement", {
      epc: tag,
      sku: "TEA",
      kind,
      from,
      to,
      reader: "r1",
      antennas: [1],
      reads: 3,
      at: at(time),
      ...extra,
    });
  for (const tag of tags.slice(0, 3))
    move(tag, "receive", null, "dock", "09:00:00", { order: "PO-1" });
  move(tags[0] as string, "putaway", "dock", "shelf-1", "09:30:00");
  move(tags[1] as string, "ship", "dock", null, "10:00:00", { order: "SO-1" });
  move(tags[3] as string, "receive", null, "dock", "09:00:00", {
    sku: null,
    gtin: "03012345678901",
  });
  move(tags[4] as string, "receive", null, "dock", "09:00:00", { sku: null });
  s.store.appendEntries("dock-1", chain.entries.splice(0));
  const invoice = supplierInvoiceJson("S-1", "Martin", [["TEA", 3, 420]], { orderRef: "PO-1" });
  expect((await s.call("POST", "/invoices", { role: "accounting", body: invoice })).status).toBe(
    201,
  );
  return { s, tags };
}

async function get(s: ApiSetup, path: string) {
  const res = await s.call("GET", path, { role: "viewer" });
  expect(res.status, await res.clone().text()).toBe(200);
  return res;
}

describe("GET /valuation", () => {
  it("answers the stock value per product, shared among zones, with the items that have no product", async () => {
    const { s } = await site();
    expect(await (await get(s, "/valuation")).json()).toEqual({
      asOf: "2026-11-22T09:00:00.000Z",
      method: "fifo",
      currency: "EUR",
      rows: [
        {
          sku: "TEA",
          name: "Thé vert",
          quantity: 2,
          value: 840,
          unitCost: 420,
          provisionalQuantity: 0,
          actualValue: 840,
          zones: [
            { zone: "dock", quantity: 1, value: 420 },
            { zone: "shelf-1", quantity: 1, value: 420 },
          ],
        },
      ],
      totals: {
        quantity: 2,
        value: 840,
        actualValue: 840,
        provisionalQuantity: 0,
        provisionalValue: 0,
      },
      unvalued: { unknownProducts: 1, plainTags: 1 },
    });
  });

  it("answers as of an instant or a date, by the method asked, and as CSV (ISO, dot decimals on a fr-FR site)", async () => {
    const { s } = await site();
    s.clock.set("2026-11-23T12:00:00.000Z");
    const before = (await (
      await get(s, "/valuation?asOf=2026-11-22T10:59:59%2B01:00&method=average")
    ).json()) as {
      asOf: string;
      method: string;
      rows: { quantity: number; value: number }[];
    };
    expect(before).toMatchObject({ asOf: "2026-11-22T09:59:59.000Z", method: "average" });
    expect(before.rows.map((r) => [r.quantity, r.value])).toEqual([[3, 1260]]);
    const ofDay = (await (await get(s, "/valuation?asOf=2026-11-22")).json()) as { asOf: string };
    expect(ofDay.asOf).toBe("2026-11-22T23:59:59.999Z");
    const csv = await get(s, "/valuation?format=csv");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(await csv.text()).toBe(
      "sku,name,quantity,value,unit_cost,provisional_quantity,actual_value,currency,as_of,method\r\n" +
        "TEA,Thé vert,2,8.40,4.20,0,8.40,EUR,2026-11-23T12:00:00.000Z,fifo\r\n" +
        "TOTAL,,2,8.40,,0,8.40,EUR,2026-11-23T12:00:00.000Z,fifo\r\n",
    );
  });
});

describe("GET /valuation/layers, /valuation/cogs, /valuation/history", () => {
  it("lists the layers with their cost and the invoice that set it", async () => {
    const { s } = await site();
    expect(await (await get(s, "/valuation/layers?open=true")).json()).toEqual({
      currency: "EUR",
      layers: [
        {
          sku: "TEA",
          key: "TEA\u0000PO-1",
          order: "PO-1",
          receivedAt: "2026-11-22T09:00:00.000Z",
          quantity: 3,
          remaining: 2,
          unitCost: 420,
          provisional: false,
          invoice: "S-1",
        },
      ],
    });
    expect(await (await get(s, "/valuation/layers?sku=MUG&format=csv")).text()).toBe(
      "sku,order,received_at,quantity,remaining,unit_cost,provisional,invoice,currency\r\n",
    );
  });

  it("answers the cost of goods of a period, FIFO beside the actual units' cost", async () => {
    const { s } = await site();
    const day = (await (
      await get(s, "/valuation/cogs?from=2026-11-22&to=2026-11-22")
    ).json()) as object;
    expect(day).toEqual({
      from: "2026-11-22T00:00:00.000Z",
      to: "2026-11-22T23:59:59.999Z",
      method: "fifo",
      currency: "EUR",
      rows: [
        {
          sku: "TEA",
          name: "Thé vert",
          quantity: 1,
          shipped: 1,
          sold: 0,
          writtenOff: 0,
          cogs: 420,
          actualCost: 420,
          difference: 0,
          provisional: 0,
        },
      ],
      totals: { quantity: 1, cogs: 420, actualCost: 420, difference: 0 },
    });
    const before = (await (await get(s, "/valuation/cogs?to=2026-11-22T09:59:59Z")).json()) as {
      rows: unknown[];
    };
    expect(before.rows).toEqual([]);
    expect(await (await get(s, "/valuation/cogs?format=csv")).text()).toContain(
      "TEA,Thé vert,1,1,0,0,4.20,4.20,0.00,0,EUR,,,fifo\r\n",
    );
  });

  it("answers the value at the end of each day", async () => {
    const { s } = await site();
    s.clock.set("2026-11-24T12:00:00.000Z");
    const history = (await (await get(s, "/valuation/history?from=2026-11-21")).json()) as object;
    expect(history).toEqual({
      method: "fifo",
      currency: "EUR",
      points: [
        { date: "2026-11-21", value: 0, quantity: 0 },
        { date: "2026-11-22", value: 840, quantity: 2 },
        { date: "2026-11-23", value: 840, quantity: 2 },
        { date: "2026-11-24", value: 840, quantity: 2 },
      ],
    });
    const month = (await (await get(s, "/valuation/history")).json()) as {
      points: { date: string }[];
    };
    expect(month.points.length).toBe(30);
    expect(month.points.at(-1)?.date).toBe("2026-11-24");
  });
});

describe("GET /valuation: refused", () => {
  it("needs valuation:read (money): the warehouse role is refused", async () => {
    const s = await apiSetup();
    expect((await s.call("GET", "/valuation", { role: "warehouse" })).status).toBe(403);
  });

  const cases: BadInputCase[] = [
    {
      name: "unknown method",
      method: "GET",
      path: "/valuation?method=lifo",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "method",
    },
    {
      name: "asOf neither date nor instant",
      method: "GET",
      path: "/valuation?asOf=yesterday",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "asOf",
    },
    {
      name: "unknown parameter",
      method: "GET",
      path: "/valuation/layers?colour=red",
      init: {},
      status: 400,
      code: "invalid_input",
    },
    {
      name: "cogs from after to",
      method: "GET",
      path: "/valuation/cogs?from=2026-11-23&to=2026-11-22",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "from",
    },
    {
      name: "history backwards",
      method: "GET",
      path: "/valuation/history?from=2026-11-23&to=2026-11-22",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "from",
    },
    {
      name: "history date not a date",
      method: "GET",
      path: "/valuation/history?to=2026-13-01",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "to",
    },
  ];
  it.each(cases)("$name → $status $code", expectRefusedUnchanged);
});
