import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type GatewayServer, serveGateway, TokenStore } from "@comptoir/gateway";
import {
  facturXPdf,
  invoiceFixturePath,
  type ReconciliationSetup,
  reconciliationSetup,
} from "@comptoir/gateway/testing";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

let s: ReconciliationSetup;
let server: GatewayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await s?.close();
});

/** Money as Intl writes it on a fr-FR site: "337,50 €", its spaces no-break ones. */
const fr = (minor: number) =>
  new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(minor / 100);

/**
 * A gateway on a real loopback port (chosen by the system) over the test store,
 * an accounting token, and `comptoir import` run against them.
 */
async function gateway() {
  s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  await s.customer("acme");
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
      // A French site: the command line writes its summaries' money as the site does.
      site: { locale: "fr-FR", currency: "EUR" },
    },
    { host: "127.0.0.1", port: 0 },
  );
  const url = server.url;
  const importFile = (kind: "invoices" | "payments", file: string, ...more: string[]) =>
    runCli(["import", kind, file, "--gateway", url, ...more], { COMPTOIR_TOKEN: issued.token });
  return { url, token: issued.token, tokenId: issued.record.id, importFile };
}

/** A CSV of `count` one-line invoices for acme. */
function invoicesCsv(count: number, bad?: number) {
  const rows = [
    "number,issue_date,due_date,currency,customer,net_total,vat_total,gross_total,line_id,sku,quantity,unit_price,line_net",
  ];
  for (let i = 1; i <= count; i++) {
    const amount = i === bad ? "1.005" : `${i}.50`;
    rows.push(
      `F-${i},2026-03-01,2026-03-31,EUR,acme,${amount},0.00,${amount},1,WID,1,${amount},${amount}`,
    );
  }
  return `${rows.join("\n")}\n`;
}

describe("comptoir import invoices / payments", () => {
  it("takes its token from COMPTOIR_TOKEN or --token-file, and warns that --token shows it to ps", async () => {
    const g = await gateway();
    const file = join(s.dir, "invoices.csv");
    await writeFile(file, invoicesCsv(3));
    const base = ["import", "invoices", file, "--gateway", g.url];
    const fromEnv = await runCli([...base, "--batch", "1"], { COMPTOIR_TOKEN: g.token });
    expect(fromEnv.stderr).not.toMatch(/warning/);
    expect(fromEnv.code).toBe(0);
    const tokenFile = join(s.dir, "token");
    await writeFile(tokenFile, `${g.token}\n`, { mode: 0o600 });
    const fromFile = await runCli([...base, "--token-file", tokenFile, "--update"]);
    expect(fromFile.stderr).not.toMatch(/warning/);
    expect(fromFile.code).toBe(0);
    const fromArgv = await runCli([...base, "--token", g.token, "--update"]);
    expect(fromArgv.code).toBe(0);
    expect(fromArgv.stderr).toMatch(/--token .*ps.*COMPTOIR_TOKEN or --token-file/);
    const none = await runCli(base);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/COMPTOIR_TOKEN or --token-file/);
    const missing = await runCli([...base, "--token-file", join(s.dir, "nope")]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot read the token file .*nope/);
  });

  it("imports a CSV in batches with a progress line, then a bank export that pays them", async () => {
    const g = await gateway();
    const file = join(s.dir, "invoices.csv");
    await writeFile(file, invoicesCsv(25));
    const run = await g.importFile("invoices", file, "--batch", "10");
    expect(run.stderr).toBe(
      "checking 10/25 invoices\nchecking 20/25 invoices\nchecking 25/25 invoices\n" +
        "importing 10/25 invoices\nimporting 20/25 invoices\nimporting 25/25 invoices\n",
    );
    expect(run.code, run.stderr).toBe(0);
    // 1.50 + 2.50 + … + 25.50 = 325 + 12.50
    expect(run.stdout).toBe(`imported 25 invoices from ${file} (net amount due ${fr(33_750)})\n`);
    expect(s.store.db.prepare("SELECT COUNT(*) AS n FROM invoices").get()).toEqual({ n: 25 });

    const payments = join(s.dir, "bank.csv");
    await writeFile(
      payments,
      "date;amount;label;payer;customer\n21/03/2026;1,50;VIR F-1;ACME;acme\n21/03/2026;10,00;VIR;ACME;acme\n",
    );
    const paid = await g.importFile("payments", payments);
    expect(paid.code, paid.stderr).toBe(0);
    // Each payment's application is listed: F-1 by its label, F-10 oldest due first (its 0.50 residue written off).
    const by = `token:${g.tokenId}`;
    expect(paid.stdout).toBe(
      `imported 2 payments from ${payments}; unapplied ${fr(0)}\n` +
        `  2026-03-21/1.50/VIR F-1 (acme): F-1 ${fr(150)}, letter A, label-reference, by ${by}\n` +
        `  2026-03-21/10.00/VIR (acme): F-10 ${fr(1000)}, letter B, oldest-due, by ${by}\n` +
        `  2026-03-21/10.00/VIR (acme): F-10 ${fr(50)} written off, letter B, tolerance-underpayment, by ${by}\n`,
    );
  });

  it("imports a UBL file as it is", async () => {
    const g = await gateway();
    const file = invoiceFixturePath("ubl-invoice.xml");
    const run = await g.importFile("invoices", file);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^imported 1 invoice from .* \(net amount due 132,00\u00a0€\)\n$/);
  });

  it("imports a Factur-X PDF as it is; a damaged one is refused before anything is sent", async () => {
    const g = await gateway();
    await s.customer("bistro", "Le Bistro du Port");
    const xml = await readFile(invoiceFixturePath("cii-en16931.xml"), "utf8");
    const pdf = await facturXPdf([{ name: "factur-x.xml", content: xml }]);
    const damaged = join(s.dir, "damaged.pdf");
    await writeFile(damaged, pdf.subarray(0, Math.floor(pdf.length / 2)));
    const before = s.state();
    const refused = await g.importFile("invoices", damaged);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`^${damaged}: refused, nothing sent — 1 problem:\n  the PDF is damaged: `),
    );
    expect(s.state()).toBe(before);
    const file = join(s.dir, "F-2026-0002.pdf");
    await writeFile(file, pdf);
    const run = await g.importFile("invoices", file);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`imported 1 invoice from ${file} (net amount due ${fr(10_000)})\n`);
    expect(s.store.db.prepare("SELECT number, customer, source FROM invoices").all()).toEqual([
      { number: "F-2026-0002", customer: "bistro", source: "facturx-pdf" },
    ]);
  });

  it("a file whose last batch repeats a recorded invoice is refused whole: nothing imported, the invoice named", async () => {
    const g = await gateway();
    const recorded = join(s.dir, "recorded.csv");
    await writeFile(recorded, invoicesCsv(1));
    expect((await g.importFile("invoices", recorded)).code).toBe(0);
    // F-2 … F-25, then F-1 again: the duplicate is in the third and last batch.
    const rows = invoicesCsv(25).trimEnd().split("\n");
    const file = join(s.dir, "invoices.csv");
    await writeFile(file, `${[rows[0], ...rows.slice(2), rows[1]].join("\n")}\n`);
    const before = s.state();
    const run = await g.importFile("invoices", file, "--batch", "10");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      new RegExp(
        "^checking 10/25 invoices\nchecking 20/25 invoices\nchecking 25/25 invoices\n" +
          `${file}: refused by the gateway, nothing imported — 1 problem:\n` +
          "  invoice 25 of 25 \\(F-1\\), number: invoice F-1: customer invoice F-1 is already recorded",
      ),
    );
    expect(run.stderr).toMatch(/\(HTTP 409\): 1 problem — nothing was imported/);
    expect(run.stderr).not.toMatch(/importing/);
    expect(s.state()).toBe(before);
    expect(s.store.db.prepare("SELECT COUNT(*) AS n FROM invoices").get()).toEqual({ n: 1 });
  });

  it("a bank export whose last batch repeats a recorded payment is refused whole: nothing imported, the payment named", async () => {
    const g = await gateway();
    const rows = Array.from(
      { length: 12 },
      (_, i) => `P-${i + 1};21/03/2026;${i + 1},00;VIR ${i + 1};ACME;acme`,
    );
    const header = "id;date;amount;label;payer;customer";
    const first = join(s.dir, "first.csv");
    await writeFile(first, `${header}\n${rows[11]}\n`);
    expect((await g.importFile("payments", first)).code).toBe(0);
    const file = join(s.dir, "bank.csv");
    await writeFile(file, `${[header, ...rows].join("\n")}\n`);
    const before = s.state();
    const run = await g.importFile("payments", file, "--batch", "5");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        "^checking 5/12 payments\nchecking 10/12 payments\nchecking 12/12 payments\n" +
          `${file}: refused by the gateway, nothing imported — 1 problem:\n` +
          "  payment 12 of 12 \\(P-12\\), id: payment P-12 \\(row 2\\): payment P-12 is already recorded",
      ),
    );
    expect(run.stderr).not.toMatch(/importing/);
    expect(s.state()).toBe(before);
  });

  it("a bad file is refused before anything is sent, every problem listed", async () => {
    const g = await gateway();
    const file = join(s.dir, "invoices.csv");
    await writeFile(file, invoicesCsv(3, 2).replace("F-3,2026-03-01", "F-3,2026-13-01"));
    const before = s.state();
    const run = await g.importFile("invoices", file);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `${file}: refused, nothing sent — 4 problems:\n` +
        '  line 3, net_total: "1.005" has more than 2 decimals for EUR\n' +
        '  line 3, gross_total: "1.005" has more than 2 decimals for EUR\n' +
        '  line 3, line_net: "1.005" has more than 2 decimals for EUR\n' +
        "  line 4, issue_date: Invalid ISO date\n",
    );
    expect(s.state()).toBe(before);
  });

  it("says what the gateway refused, and bad usage exits 2", async () => {
    const g = await gateway();
    const file = join(s.dir, "invoices.csv");
    await writeFile(file, invoicesCsv(1).replace(",acme,", ",nobody,"));
    const refused = await g.importFile("invoices", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "  invoice 1 of 1 (F-1), customer: invoice F-1: no customer nobody",
    );
    expect(refused.stderr).toMatch(
      /the gateway refused it \(HTTP 422\): 1 problem — nothing was imported/,
    );
    const usage = await g.importFile("invoices", join(s.dir, "x.ods"));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/name it \.csv, \.xml, \.pdf or \.json/);
    const token = await runCli([
      "import",
      "invoices",
      file,
      "--gateway",
      g.url,
      "--token",
      "ct_wrong",
    ]);
    expect(token.code).toBe(1);
    expect(token.stderr).toMatch(/HTTP 401/);
  });
});
