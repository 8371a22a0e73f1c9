import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type GatewayServer, serveGateway, TokenStore } from "@comptoir/gateway";
import { type ReconciliationSetup, reconciliationSetup } from "@comptoir/gateway/testing";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

/** `comptoir import customers|products` (issue 18) against a gateway on a real loopback port. */

let s: ReconciliationSetup;
let server: GatewayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await s?.close();
});

async function gateway() {
  s = await reconciliationSetup("2026-12-07T09:00:00.000Z");
  const tokens = new TokenStore(s.store.db, s.ledger, { clock: s.clock });
  const issued = tokens.create("accounting", "cli test", { kind: "system", id: "test" });
  server = await serveGateway(
    {
      store: s.store,
      ledger: s.ledger,
      tokens,
      catalog: s.credit.catalog,
      credit: s.credit,
      clock: s.clock,
    },
    { host: "127.0.0.1", port: 0 },
  );
  const url = server.url;
  const write = async (name: string, text: string) => {
    const file = join(s.dir, name);
    await writeFile(file, text);
    return file;
  };
  const importFile = (kind: "customers" | "products", file: string, ...more: string[]) =>
    runCli(["import", kind, file, "--gateway", url, ...more], { COMPTOIR_TOKEN: issued.token });
  return { url, write, importFile };
}

const CUSTOMERS = `id;name;credit_limit;currency;payment_terms_days
acme;ACME Bâtiment SAS;5 000,00;EUR;30
bistro;Le Bistro du Port;unlimited;;45
`;

describe("comptoir import customers / products", () => {
  it("imports a file of customers, then says what a second one updated and left unchanged", async () => {
    const g = await gateway();
    const first = await g.importFile("customers", await g.write("customers.csv", CUSTOMERS));
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/customers\.csv: 2 customers created, 0 updated, 0 unchanged\n$/);
    expect(s.credit.catalog.customer("acme")?.creditLimit).toEqual({
      amount: 500000,
      currency: "EUR",
    });
    const second = await g.importFile(
      "customers",
      await g.write("customers-2.csv", CUSTOMERS.replace(";45", ";60")),
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0 customers created, 1 updated, 1 unchanged\n$/);
    expect(s.credit.catalog.customer("bistro")?.paymentTermsDays).toBe(60);
  });

  it("with --dry-run says what the gateway would do and stores nothing", async () => {
    const g = await gateway();
    const products = JSON.stringify({
      products: [
        {
          sku: "DRL-18V",
          name: "Drill 18 V",
          gtin: "03012345678902",
          unitPrice: { amount: 8000, currency: "EUR" },
          unitCost: { amount: 5000, currency: "EUR" },
        },
      ],
    });
    const run = await g.importFile(
      "products",
      await g.write("products.json", products),
      "--dry-run",
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /products\.json: dry run, nothing stored — if imported: 1 product created, 0 updated, 0 unchanged\n {2}created: DRL-18V\n$/,
    );
    expect(s.credit.catalog.products()).toEqual([]);
  });

  it("refuses a bad file before sending it, every problem listed by line and column", async () => {
    const g = await gateway();
    const file = await g.write(
      "products.csv",
      "sku,name,gtin,unit_price,unit_cost\nA,Good,,1.00,0.50\nA,Again,,1.00,0.50\nB,Bad,123,1.005,x\n",
    );
    const run = await g.importFile("products", file);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      [
        `${file}: refused, nothing sent — 4 problems:`,
        "  line 3, sku: product A is also at line 2: give each product once in the file",
        '  line 4, unit_price: "1.005" has more than 2 decimals for EUR (write it like 1234.50)',
        '  line 4, unit_cost: "x" is not a decimal amount such as 12.34 (write it like 1234.50)',
        "  line 4, gtin: must be a 14-digit GTIN",
        "",
      ].join("\n"),
    );
    expect(s.credit.catalog.products()).toEqual([]);
  });

  it("lists the gateway's refusal (a GTIN of a product the file leaves alone) and exits 1", async () => {
    const g = await gateway();
    const held = await g.importFile(
      "products",
      await g.write(
        "held.csv",
        "sku,name,gtin,unit_price,unit_cost\nHELD,Held,03012345678902,1,0.5\n",
      ),
    );
    expect(held.code).toBe(0);
    const run = await g.importFile(
      "products",
      await g.write(
        "new.csv",
        "sku,name,gtin,unit_price,unit_cost\nNEW,New,03012345678902,1,0.5\n",
      ),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "  line 2, gtin: GTIN 03012345678902 already belongs to product HELD: leave it out, or move it by giving HELD in the same file without it\n",
    );
    expect(run.stderr).toMatch(/the gateway refused it \(HTTP 409\).*nothing was imported\n$/);
    expect(s.credit.catalog.product("NEW")).toBeUndefined();
  });

  it("imports the gateway's own templates as they are", async () => {
    const g = await gateway();
    for (const kind of ["customers", "products"] as const) {
      const template = await fetch(`${g.url}/api/v1/${kind}/template.csv`, {
        headers: { authorization: `Bearer ${s.token.viewer}` },
      });
      expect(template.status).toBe(200);
      const run = await g.importFile(kind, await g.write(`${kind}.csv`, await template.text()));
      expect(run.stderr).toBe("");
      expect(run.stdout).toMatch(/: 2 \w+ created, 0 updated, 0 unchanged\n$/);
    }
    expect(s.credit.catalog.customers().map((customer) => customer.id)).toEqual(["acme", "bistro"]);
    expect(s.credit.catalog.product("CAFE-250")?.gtins).toEqual(["13012345678909"]);
  });

  it("exits 2 for a file it cannot tell the format of", async () => {
    const g = await gateway();
    const run = await g.importFile("customers", await g.write("customers.xlsx", "x"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/name it \.csv or \.json/);
  });
});
