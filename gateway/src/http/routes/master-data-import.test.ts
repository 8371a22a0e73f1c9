import { describe, expect, it } from "vitest";
import { GATEWAY_CHAIN } from "../../ledger/gateway-ledger.js";
import { type ApiSetup, apiSetup } from "../../testing/api.js";

/** Master data files (issue 18): POST /customers/import and /products/import, CSV and JSON. */

const CSV = "text/csv";

function send(s: ApiSetup, path: string, raw: string, type = CSV) {
  return s.call("POST", path, { role: "accounting", raw, type });
}

/** The error answer of a refused file. */
async function refusal(res: Response) {
  return (
    (await res.json()) as {
      error: { code: string; message: string; problems: { path: string; message: string }[] };
    }
  ).error;
}

/** The gateway ledger's business entries (not its checkpoints): type and data. */
function ledger(s: ApiSetup) {
  return [...s.store.entries(GATEWAY_CHAIN)]
    .filter((entry) => entry.type.startsWith("product.") || entry.type.startsWith("customer."))
    .map((entry) => ({ type: entry.type, data: entry.data as Record<string, unknown> }));
}

const PRODUCTS_CSV = `sku;name;gtin;other_gtins;unit_price;unit_cost;currency;category
CAFE-250;Café moulu 250 g;3012345678902;13012345678909 | 23012345678906;4,90;2,75;EUR;épicerie
VIS-M6;Vis M6;;;0.35;0.12;;
`;

describe("POST /api/v1/products/import", () => {
  it("creates products from a French CSV, with their GTINs, decimal commas and the site's currency", async () => {
    const s = await apiSetup();
    const res = await send(s, "/products/import", PRODUCTS_CSV);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      format: "csv",
      imported: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    const cafe = await (await s.call("GET", "/products/CAFE-250", { role: "viewer" })).json();
    expect(cafe).toMatchObject({
      sku: "CAFE-250",
      name: "Café moulu 250 g",
      // The spreadsheet dropped the leading zero: padded back to 14 digits.
      gtin: "03012345678902",
      gtins: ["13012345678909", "23012345678906"],
      unitPrice: { amount: 490, currency: "EUR" },
      unitCost: { amount: 275, currency: "EUR" },
      category: "épicerie",
    });
    const vis = await (await s.call("GET", "/products/VIS-M6", { role: "viewer" })).json();
    expect(vis).toMatchObject({
      gtin: null,
      gtins: [],
      unitPrice: { amount: 35, currency: "EUR" },
    });
    expect(vis).not.toHaveProperty("category");
    expect(ledger(s).map((entry) => entry.type)).toEqual(["product.created", "product.created"]);
  });

  it("counts updated and unchanged rows; only the update is recorded, with what it was before", async () => {
    const s = await apiSetup();
    await send(s, "/products/import", PRODUCTS_CSV);
    const res = await send(s, "/products/import", PRODUCTS_CSV.replace("4,90", "5,20"));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ imported: 1, created: 0, updated: 1, unchanged: 1 });
    const entries = ledger(s);
    expect(entries.map((entry) => entry.type)).toEqual([
      "product.created",
      "product.created",
      "product.changed",
    ]);
    expect(entries[2]?.data).toMatchObject({
      by: { kind: "token" },
      product: { sku: "CAFE-250", unitPrice: { amount: 520 } },
      before: { sku: "CAFE-250", unitPrice: { amount: 490 } },
    });
    // The same file again: nothing to do, nothing recorded.
    const again = await send(s, "/products/import", PRODUCTS_CSV.replace("4,90", "5,20"));
    expect(await again.json()).toMatchObject({ imported: 0, updated: 0, unchanged: 2 });
    expect(ledger(s)).toHaveLength(3);
  });

  it("publishes the catalog to the nodes once per file, and each customer's credit snapshot once", async () => {
    const s = await apiSetup();
    const versions = () =>
      s.store.db.prepare("SELECT topic, version FROM retained_versions ORDER BY topic").all() as {
        topic: string;
        version: number;
      }[];
    const csv = `sku,name,unit_price,unit_cost\n${["A", "B", "C", "D"].map((sku) => `${sku},${sku},1,0.5`).join("\n")}\n`;
    expect((await send(s, "/products/import", csv)).status).toBe(201);
    expect(versions()).toEqual([{ topic: expect.stringMatching(/\/catalog$/), version: 1 }]);
    expect((await send(s, "/customers/import", CUSTOMERS_CSV)).status).toBe(201);
    expect(versions().filter((row) => row.topic.includes("/credit/"))).toEqual([
      { topic: expect.stringMatching(/\/credit\/acme$/), version: 1 },
      { topic: expect.stringMatching(/\/credit\/bistro$/), version: 1 },
    ]);
  });

  it("takes JSON as POST /products does: an array or { products: [...] }", async () => {
    const s = await apiSetup();
    const product = {
      sku: "DRL-18V",
      name: "Drill 18 V",
      gtin: "03012345678902",
      unitPrice: { amount: 8000, currency: "EUR" },
      unitCost: { amount: 5000, currency: "EUR" },
    };
    const wrapped = await send(
      s,
      "/products/import",
      JSON.stringify({ products: [product] }),
      "application/json",
    );
    expect(wrapped.status).toBe(201);
    expect(await wrapped.json()).toMatchObject({ format: "json", created: 1 });
    const array = await send(
      s,
      "/products/import",
      JSON.stringify([{ ...product, name: "Drill 18 V (2 batteries)" }]),
      "application/json",
    );
    expect(await array.json()).toMatchObject({ updated: 1 });
  });

  it("on a dry run lists what would be created, updated and left, and stores nothing", async () => {
    const s = await apiSetup();
    await send(s, "/products/import", PRODUCTS_CSV);
    const before = s.state();
    const file = `${PRODUCTS_CSV.replace("0.35", "0.40")}NEW-1;New;;;1;0.5;;\n`;
    const res = await send(s, "/products/import?dryRun=true", file);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      dryRun: true,
      format: "csv",
      imported: 0,
      created: 1,
      updated: 1,
      unchanged: 1,
      ids: { created: ["NEW-1"], updated: ["VIS-M6"], unchanged: ["CAFE-250"] },
    });
    expect(s.state()).toBe(before);
  });

  it("refuses a bad file whole, every problem listed by line and column, and stores nothing", async () => {
    const s = await apiSetup();
    const before = s.state();
    const file = [
      "sku,name,gtin,unit_price,unit_cost,currency",
      "A,Good,03012345678902,1.00,0.50,EUR",
      "B,Bad price,,1.005,0.50,EUR",
      "C,,,1.00,0.50,EUR",
      "D,Bad GTIN,12345,1.00,0.50,EUR",
      "A,Twice,,1.00,0.50,EUR",
      "E,Same GTIN as A,3012345678902,1.00,0.50,EUR",
      "F,Bad currency,,1.00,0.50,euro",
      "G,Short row,,1.00",
    ].join("\n");
    const res = await send(s, "/products/import", file);
    expect(res.status).toBe(400);
    const error = await refusal(res);
    expect(error.code).toBe("invalid_file");
    expect(error.message).toMatch(/^the product file was refused, nothing imported — line 3/);
    expect(error.problems).toEqual([
      {
        path: "line 3, unit_price",
        message: '"1.005" has more than 2 decimals for EUR (write it like 1234.50)',
      },
      { path: "line 4, name", message: "empty: give the product's name" },
      { path: "line 5, gtin", message: "must be a 14-digit GTIN" },
      {
        path: "line 6, sku",
        message: "product A is also at line 2: give each product once in the file",
      },
      {
        path: "line 7, gtin",
        message:
          "GTIN 03012345678902 is also given to product A at line 2: a GTIN names one product",
      },
      {
        path: "line 8, currency",
        message: '"euro" is not an ISO 4217 currency code such as EUR',
      },
      { path: "line 9", message: "has 4 fields, the header has 6" },
    ]);
    expect(s.state()).toBe(before);
  });

  it("answers 409 for a GTIN of a stored product the file leaves alone, and stores nothing", async () => {
    const s = await apiSetup();
    await send(s, "/products/import", PRODUCTS_CSV);
    const before = s.state();
    const res = await send(
      s,
      "/products/import",
      "sku,name,gtin,unit_price,unit_cost\nTHE-NEW,New,,1,0.5\nOTHER,Other,23012345678906,1,0.5\n",
    );
    expect(res.status).toBe(409);
    const error = await refusal(res);
    expect(error.problems).toEqual([
      {
        path: "line 3, gtin",
        message:
          "GTIN 23012345678906 already belongs to product CAFE-250: leave it out, or move it by giving CAFE-250 in the same file without it",
      },
    ]);
    expect(s.state()).toBe(before);
  });

  it("refuses a body that is not CSV or JSON with 415", async () => {
    const s = await apiSetup();
    const res = await send(s, "/products/import", "<products/>", "application/xml");
    expect(res.status).toBe(415);
    expect((await refusal(res)).message).toMatch(/text\/csv, application\/json/);
  });
});

const CUSTOMERS_CSV = `id,name,credit_limit,currency,payment_terms_days
acme,ACME Bâtiment SAS,5000.00,EUR,30
bistro,Le Bistro du Port,unlimited,,45
`;

describe("POST /api/v1/customers/import", () => {
  it("creates customers with their credit limit and payment terms, then counts updates", async () => {
    const s = await apiSetup();
    const res = await send(s, "/customers/import", CUSTOMERS_CSV);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    const { customers } = (await (
      await s.call("GET", "/customers", { role: "viewer" })
    ).json()) as { customers: unknown[] };
    expect(customers).toMatchObject([
      {
        id: "acme",
        name: "ACME Bâtiment SAS",
        creditLimit: { amount: 500000, currency: "EUR" },
        paymentTermsDays: 30,
      },
      { id: "bistro", creditLimit: "unlimited", paymentTermsDays: 45 },
    ]);
    const raised = await send(
      s,
      "/customers/import",
      JSON.stringify({
        customers: [
          { id: "acme", name: "ACME Bâtiment SAS", creditLimit: "unlimited", paymentTermsDays: 30 },
          {
            id: "bistro",
            name: "Le Bistro du Port",
            creditLimit: "unlimited",
            paymentTermsDays: 45,
          },
        ],
      }),
      "application/json",
    );
    expect(await raised.json()).toMatchObject({ updated: 1, unchanged: 1 });
    expect(ledger(s).map((entry) => entry.type)).toEqual([
      "customer.created",
      "customer.created",
      "customer.changed",
    ]);
    expect(ledger(s)[2]?.data).toMatchObject({
      customer: { id: "acme", creditLimit: "unlimited" },
      before: { id: "acme", creditLimit: { amount: 500000, currency: "EUR" } },
    });
  });

  it("lists every problem of a JSON file by its path, and a customer given twice", async () => {
    const s = await apiSetup();
    const before = s.state();
    const res = await send(
      s,
      "/customers/import",
      JSON.stringify([
        { id: "acme", name: "ACME", creditLimit: "unlimited", paymentTermsDays: 30 },
        { id: "bad id!", name: "X", creditLimit: "unlimited", paymentTermsDays: 400 },
        { id: "acme", name: "ACME again", creditLimit: "unlimited", paymentTermsDays: 30 },
      ]),
      "application/json",
    );
    expect(res.status).toBe(400);
    const error = await refusal(res);
    expect(error.problems).toEqual([
      { path: "[1].id", message: "must be 1-64 letters, digits, '_', '.' or '-'" },
      { path: "[1].paymentTermsDays", message: expect.stringMatching(/<=365/) },
      {
        path: "[2].id",
        message: "customer acme is also at [0]: give each customer once in the file",
      },
    ]);
    expect(s.state()).toBe(before);
  });

  it("says what to write in a CSV cell it cannot read", async () => {
    const s = await apiSetup();
    const res = await send(
      s,
      "/customers/import",
      "id,name,credit_limit,payment_terms_days\nacme,ACME,,30\nbistro,Bistro,1000,net 30\n",
    );
    expect(res.status).toBe(400);
    expect((await refusal(res)).problems).toEqual([
      {
        path: "line 2, credit_limit",
        message:
          'empty: give the customer\'s credit limit, the most it may owe, such as 5000.00, or "unlimited"',
      },
      {
        path: "line 3, payment_terms_days",
        message: '"net 30" is not a whole number of days such as 30',
      },
    ]);
  });
});

describe("the master data CSV templates", () => {
  it.each([
    ["customers", 2],
    ["products", 2],
  ])("GET /%s/template.csv imports as it is", async (kind, rows) => {
    const s = await apiSetup();
    const template = await s.call("GET", `/${kind}/template.csv`, { role: "viewer" });
    expect(template.status).toBe(200);
    expect(template.headers.get("content-type")).toMatch(/^text\/csv/);
    const res = await send(s, `/${kind}/import`, await template.text());
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ created: rows, updated: 0 });
  });
});
