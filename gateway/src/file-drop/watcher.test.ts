import { existsSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { invoiceCsvTemplate } from "../invoice-files/index.js";
import { facturXPdf } from "../invoice-files/testing/factur-x-pdf.js";
import { customerCsvTemplate, productCsvTemplate } from "../master-data/index.js";
import { orderCsvTemplate } from "../orders/files.js";
import { fileDropSitePerTest, TEST_SETTLE_MS } from "../testing/file-drop.js";
import { invoiceFixture, paymentFixture } from "../testing/file-import.js";

const site = fileDropSitePerTest();
const template = invoiceCsvTemplate();
/** The template's lines: header, F-2026-0001 (two rows), AV-2026-0001 (a credit note on it). */
const [header, first1, first2, creditNote] = template.trimEnd().split("\n") as [
  string,
  string,
  string,
  string,
];

describe("file drop, inbound", () => {
  it("creates inbound/<kind>/ with archive/ and error/ at start, for every kind", async () => {
    const s = await site();
    const w = s.watcher();
    await w.start();
    await w.stop();
    for (const kind of ["invoices", "payments", "orders", "customers", "products"] as const) {
      expect(existsSync(s.path(kind, "archive"))).toBe(true);
      expect(existsSync(s.path(kind, "error"))).toBe(true);
    }
  });

  it("imports a good invoice CSV whole, archives it, and the gateway ledger names the file drop", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    await s.drop("invoices", "export-0302.csv", template);
    await s.settleAndScan(w);
    expect(s.invoiceNumbers()).toEqual(["AV-2026-0001", "F-2026-0001"]);
    expect(await s.list("invoices")).toEqual([]);
    expect(await s.list("invoices", "archive")).toEqual(["export-0302.csv"]);
    expect(await s.read("invoices", "archive", "export-0302.csv")).toBe(template);
    const [entry] = s.gatewayEntries("invoices.imported");
    expect(entry?.data).toMatchObject({
      by: { kind: "system", id: "file-drop" },
      count: 2,
      format: "csv",
    });
    expect(w.journal.recent({ limit: 10 })).toMatchObject([
      {
        kind: "invoices",
        name: "export-0302.csv",
        outcome: "imported",
        count: 2,
        movedTo: "archive/export-0302.csv",
      },
    ]);
  });

  it("imports a UBL 2.1 invoice and a Factur-X PDF like the API does", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    await s.drop("invoices", "F-2026-0001.xml", invoiceFixture("ubl-invoice.xml"));
    const pdf = await facturXPdf([
      { name: "factur-x.xml", content: invoiceFixture("cii-en16931.xml") },
    ]);
    await s.drop("invoices", "F-2026-0002.pdf", pdf);
    await s.settleAndScan(w);
    expect(s.invoiceNumbers()).toEqual(["F-2026-0001", "F-2026-0002"]);
    expect(await s.list("invoices", "archive")).toEqual(["F-2026-0001.xml", "F-2026-0002.pdf"]);
    expect(
      s
        .gatewayEntries("invoices.imported")
        .map((e) => (e.data as { format: string }).format)
        .sort(),
    ).toEqual(["facturx-pdf", "ubl"]);
  });

  it("refuses a bad file whole: error/ with a report naming every problem by line, nothing stored", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    const before = s.state();
    const bad = [
      header,
      first1.replace(",10,C62,", ",dix,C62,"),
      first2,
      creditNote.replace("2026-03-10", "10/03/2026"),
    ].join("\n");
    await s.drop("invoices", "bad.csv", bad);
    await s.settleAndScan(w);
    expect(s.state()).toBe(before);
    expect(await s.list("invoices", "error")).toEqual(["bad.csv", "bad.csv.errors.txt"]);
    expect(await s.read("invoices", "error", "bad.csv")).toBe(bad);
    const report = await s.read("invoices", "error", "bad.csv.errors.txt");
    expect(report).toContain("bad.csv was not imported: nothing from it was stored.");
    expect(report).toMatch(/^- line 2, quantity: /m);
    expect(report).toMatch(/^- line 4, issue_date: /m);
    expect(report).toContain("drop the whole file again in inbound/invoices/");
    expect(w.journal.recent({ limit: 1 })[0]).toMatchObject({
      outcome: "refused",
      count: 0,
      movedTo: "error/bad.csv",
    });
  });

  it("refuses a file the rules refuse (an unknown customer) with the import's own message", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    const before = s.state();
    const nobody = (row: string) => row.replace(",acme,", ",nobody,");
    await s.drop("invoices", "x.csv", [header, nobody(first1), nobody(first2), ""].join("\n"));
    await s.settleAndScan(w);
    expect(s.state()).toBe(before);
    const report = await s.read("invoices", "error", "x.csv.errors.txt");
    expect(report).toContain("invoice F-2026-0001");
    expect(report).toContain("nobody");
  });

  it("never reads a file still being written: it waits until size and time stay still for settleMs", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    // A writer that cannot use a temp name: the first invoice alone would be a valid file.
    await s.append("invoices", "slow.csv", `${header}\n${first1}\n`);
    await w.scan();
    for (const chunk of [`${first2}\n`, `${creditNote}\n`]) {
      s.clock.advance(TEST_SETTLE_MS - 1);
      await w.scan();
      expect(s.invoiceNumbers()).toEqual([]);
      await s.append("invoices", "slow.csv", chunk);
      await w.scan();
      expect(await s.list("invoices")).toEqual(["slow.csv"]);
    }
    s.clock.advance(TEST_SETTLE_MS - 1);
    await w.scan();
    expect(s.invoiceNumbers()).toEqual([]);
    s.clock.advance(1);
    await w.scan();
    expect(s.invoiceNumbers()).toEqual(["AV-2026-0001", "F-2026-0001"]);
    expect(await s.read("invoices", "archive", "slow.csv")).toBe(
      `${header}\n${first1}\n${first2}\n${creditNote}\n`,
    );
  });

  it("ignores *.tmp, *.part and dot-files however old, and takes the file once renamed into place", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    await writeFile(s.path("invoices", "export.csv.tmp"), template);
    await writeFile(s.path("invoices", "other.csv.part"), template);
    await writeFile(s.path("invoices", ".hidden.csv"), template);
    await s.settleAndScan(w);
    s.clock.advance(10 * TEST_SETTLE_MS);
    await w.scan();
    expect(s.invoiceNumbers()).toEqual([]);
    expect(await s.list("invoices")).toEqual([".hidden.csv", "export.csv.tmp", "other.csv.part"]);
    await rename(s.path("invoices", "export.csv.tmp"), s.path("invoices", "export.csv"));
    await s.settleAndScan(w);
    expect(s.invoiceNumbers()).toEqual(["AV-2026-0001", "F-2026-0001"]);
    expect(await s.list("invoices", "archive")).toEqual(["export.csv"]);
  });

  it("moves a file over fileDrop.maxFileBytes to error/ unread, saying how to fix it", async () => {
    const s = await site();
    const w = s.watcher({ maxFileBytes: 1024 });
    await w.scan();
    const before = s.state();
    const big = [header, ...Array.from({ length: 10 }, () => first1)].join("\n");
    expect(big.length).toBeGreaterThan(1024);
    await s.drop("invoices", "big.csv", big);
    await s.settleAndScan(w);
    expect(s.state()).toBe(before);
    expect(await s.read("invoices", "error", "big.csv.errors.txt")).toContain(
      `the file is ${big.length} bytes, over the limit of 1024 (fileDrop.maxFileBytes): split it into smaller files`,
    );
  });

  it("sends the same content again to error/, saying when and as what it was imported; nothing doubles", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    await s.drop("payments", "releve.csv", paymentFixture("payments.csv"));
    await s.settleAndScan(w);
    const payments = () =>
      s.store.db.prepare("SELECT count(*) AS n FROM payments").get() as { n: number };
    const once = payments().n;
    expect(once).toBe(2);
    await s.drop("payments", "releve-copie.csv", paymentFixture("payments.csv"));
    await s.settleAndScan(w);
    expect(payments().n).toBe(once);
    expect(await s.list("payments", "error")).toEqual([
      "releve-copie.csv",
      "releve-copie.csv.errors.txt",
    ]);
    const report = await s.read("payments", "error", "releve-copie.csv.errors.txt");
    expect(report).toContain(
      "the same content was already imported on 2026-03-20T10:00:05.000Z as releve.csv (now payments/archive/releve.csv)",
    );
  });

  it("never overwrites an earlier file in archive/: a second file of the same name gets the time it was taken", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    await s.drop("invoices", "export.csv", [header, first1, first2, ""].join("\n"));
    await s.settleAndScan(w);
    await s.drop("invoices", "export.csv", [header, creditNote, ""].join("\n"));
    await s.settleAndScan(w);
    expect(s.invoiceNumbers()).toEqual(["AV-2026-0001", "F-2026-0001"]);
    expect(await s.list("invoices", "archive")).toEqual([
      "export.20260320T100010Z.csv",
      "export.csv",
    ]);
    expect(await s.read("invoices", "archive", "export.csv")).toContain("F-2026-0001");
  });

  it("places the orders of an orders CSV, decided as POST /orders/import does", async () => {
    const s = await site();
    await s.product("SKU-1", 1250, "03012345678900");
    const w = s.watcher();
    await w.scan();
    await s.drop("orders", "so.csv", orderCsvTemplate());
    await s.settleAndScan(w);
    const order = await s.call("GET", "/orders/SO-1001");
    expect(order.status).toBe(200);
    expect(order.body.state).toBe("approved");
    expect(await s.list("orders", "archive")).toEqual(["so.csv"]);
  });

  it("imports customers and products (master data) before the invoices that name them, in one scan", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    const customers = customerCsvTemplate()
      .replaceAll("acme", "acme-2")
      .replaceAll("bistro", "bistro-2");
    await s.drop("customers", "clients.csv", customers);
    await s.drop("products", "articles.csv", productCsvTemplate());
    // An invoice to a customer the customers file brings: taken after it in the same scan.
    await s.drop(
      "invoices",
      "f.csv",
      [header, first1, first2, ""].join("\n").replaceAll(",acme,", ",acme-2,"),
    );
    await s.settleAndScan(w);
    expect((await s.call("GET", "/customers/acme-2")).body).toMatchObject({
      name: "ACME Bâtiment SAS",
    });
    expect((await s.call("GET", "/products/CAFE-250")).status).toBe(200);
    expect(s.invoiceNumbers()).toEqual(["F-2026-0001"]);
    expect(w.journal.recent({ limit: 3 })).toMatchObject([
      { kind: "invoices", outcome: "imported" },
      {
        kind: "products",
        outcome: "imported",
        count: 2,
        notes: ["2 created, 0 updated, 0 unchanged"],
      },
      { kind: "customers", outcome: "imported", count: 2 },
    ]);
    const byDrop = s
      .gatewayEntries("customer.created")
      .filter((entry) => (entry.data as { by: { id: string } }).by.id === "file-drop");
    expect(byDrop).toHaveLength(2);
  });

  it("refuses a bad customers file whole, by line and column, and stores none of it", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    const before = s.state();
    await s.drop(
      "customers",
      "clients.csv",
      "id,name,credit_limit,currency,payment_terms_days\nnew-1,New,abc,EUR,30\nnew-2,,unlimited,,400\n",
    );
    await s.settleAndScan(w);
    expect(s.state()).toBe(before);
    const report = await s.read("customers", "error", "clients.csv.errors.txt");
    expect(report).toMatch(/^- line 2\b.*credit_limit/m);
    expect(report).toMatch(/^- line 3\b.*name/m);
    expect(report).toMatch(/^- line 3\b.*payment_terms_days/m);
    expect(report).toContain("GET /api/v1/customers/template.csv");
  });
});
