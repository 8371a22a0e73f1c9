import { silentLogger } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { fileDropSitePerTest } from "../testing/file-drop.js";
import { invoiceFixture } from "../testing/file-import.js";
import { kindImporters } from "./importers.js";
import { FileDropWatcher } from "./watcher.js";

const site = fileDropSitePerTest();

describe("file drop: what a refused file's report says", () => {
  it("locates the problems of an XML invoice by XPath", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    const bad = invoiceFixture("ubl-invoice.xml")
      .replace(">10</cbc:InvoicedQuantity>", ">dix</cbc:InvoicedQuantity>")
      .replace("<cbc:IssueDate>2026-03-02</cbc:IssueDate>", "");
    await s.drop("invoices", "ubl.xml", bad);
    await s.settleAndScan(w);
    const report = await s.read("invoices", "error", "ubl.xml.errors.txt");
    expect(report).toContain("2 problems:");
    expect(report).toMatch(/^- \/Invoice\/cac:InvoiceLine\[1\]\/cbc:InvoicedQuantity: /m);
    expect(report).toMatch(/^- \/Invoice\/cbc:IssueDate: /m);
    expect(s.invoiceNumbers()).toEqual([]);
  });

  it("names the line of the first byte that is not UTF-8 (a Latin-1 export)", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode("date;amount;label;reference;payer\n15/03/2026;132,00;VIR "),
      0xe9, // é in Latin-1
      ...new TextEncoder().encode(";F-1;ACME\n"),
    ]);
    await s.drop("payments", "releve.csv", latin1);
    await s.settleAndScan(w);
    expect(await s.read("payments", "error", "releve.csv.errors.txt")).toContain(
      "- line 2: the file is not valid UTF-8 at line 2",
    );
  });

  it("refuses a file of a format the folder does not read, naming the ones it does", async () => {
    const s = await site();
    const w = s.watcher();
    await w.scan();
    await s.drop("payments", "releve.txt", "hello");
    await s.settleAndScan(w);
    expect(await s.read("payments", "error", "releve.txt.errors.txt")).toContain(
      "releve.txt is not a file this folder reads: name it .csv, .json",
    );
  });
});

describe("file drop: a failure that is not the file's fault", () => {
  it("leaves the file in inbound/, shows it as retrying, and takes it once the store works again", async () => {
    const s = await site();
    const importers = kindImporters({ credit: s.credit, orders: s.orders });
    let failures = 1;
    const transaction = <T>(work: () => T): T => {
      if (failures-- > 0) throw new Error("database is locked");
      return s.store.db.transaction(work)();
    };
    const w = new FileDropWatcher({
      directory: s.root,
      pollMs: 1000,
      settleMs: 0,
      maxFileBytes: 1024 * 1024,
      db: s.store.db,
      importers,
      transaction,
      clock: s.clock,
      logger: silentLogger,
    });
    await w.scan();
    await s.drop("invoices", "f.xml", invoiceFixture("ubl-invoice.xml"));
    await w.scan();
    expect(await s.list("invoices")).toEqual(["f.xml"]);
    expect(await s.list("invoices", "error")).toEqual([]);
    expect(w.status().retrying).toEqual([
      {
        kind: "invoices",
        name: "f.xml",
        error: "database is locked",
        retryAt: "2026-03-20T10:01:00.000Z",
      },
    ]);
    s.clock.advance(59_999);
    await w.scan();
    expect(s.invoiceNumbers()).toEqual([]);
    s.clock.advance(1);
    await w.scan();
    expect(s.invoiceNumbers()).toEqual(["F-2026-0001"]);
    expect(await s.list("invoices", "archive")).toEqual(["f.xml"]);
    expect(w.status().retrying).toEqual([]);
  });
});
