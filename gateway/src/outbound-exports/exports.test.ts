import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "../testing/gateway-app.js";
import { ValuationService } from "../valuation/service.js";
import { OutboundExports } from "./exports.js";

let s: ReconciliationSetup;
afterEach(async () => {
  await s?.close();
});

const invoice = (number: string, amount: number, issueDate: string) =>
  invoiceJson(number, "acme", [["WID", 1, amount]], { issueDate, dueDate: issueDate });

/** Two invoices, two payments matched to them (one short, its residue written off). */
async function site() {
  s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  await s.customer("acme");
  for (const body of [invoice("A1", 10000, "2026-03-01"), invoice("A2", 5000, "2026-03-02")]) {
    expect((await s.call("POST", "/invoices", { body })).status).toBe(201);
  }
  const res = await s.call("POST", "/payments/import", {
    raw: [
      "id,date,amount,label,customer",
      "P1,2026-03-10,99.50,VIR ACME A1,acme",
      "P2,2026-03-11,50.00,VIR ACME A2,acme",
    ].join("\n"),
    type: "text/csv",
  });
  expect(res.status, res.text).toBe(201);
  const directory = join(s.dir, "drop", "outbound");
  const exports = new OutboundExports({
    store: s.store,
    catalog: s.credit.catalog,
    valuation: new ValuationService({ db: s.store.db, clock: s.clock }),
    currency: "EUR",
    directory,
    dateOf: (now) => now.toISOString().slice(0, 10),
    clock: s.clock,
  });
  return { exports, directory };
}

/** The data lines of a CSV file, each as its fields (none of these has a comma inside). */
async function lines(directory: string, file: string): Promise<string[][]> {
  const text = await readFile(join(directory, file), "utf8");
  expect(text.endsWith("\r\n"), `${file} is complete`).toBe(true);
  return text
    .trimEnd()
    .split("\r\n")
    .slice(1)
    .map((line) => line.split(","));
}

/** Each payment-letters line as letter, status, source, payment, invoice, amount. */
const letters = (rows: string[][]) => rows.map((r) => [r[1], r[2], r[3], r[4], r[6], r[8]]);

describe("the outbound exports", () => {
  it("write each kind as a whole CSV file, named by kind and time, with what the API's CSV says", async () => {
    const { exports, directory } = await site();
    const written = await exports.run([
      "payment-letters",
      "aged-balance",
      "reconciliation",
      "valuation",
    ]);
    expect(written.map((file) => file.file)).toEqual([
      "payment-letters_20260320T120000Z.csv",
      "aged-balance_20260320T120000Z.csv",
      "reconciliation_20260320T120000Z.csv",
      "valuation_20260320T120000Z.csv",
    ]);
    // Only the files: no temp file left behind.
    expect((await readdir(directory)).sort()).toEqual(written.map((file) => file.file).sort());
    expect(letters(await lines(directory, written[0]?.file ?? ""))).toEqual([
      ["A", "applied", "payment", "P1", "A1", "99.50"],
      ["A", "applied", "write-off", "P1", "A1", "0.50"],
      ["B", "applied", "payment", "P2", "A2", "50.00"],
    ]);
    const sameAs = async (file: string, path: string) => {
      const api = await s.call("GET", path);
      expect(api.status).toBe(200);
      expect(await readFile(join(directory, file), "utf8")).toBe(api.text);
    };
    await sameAs(
      "aged-balance_20260320T120000Z.csv",
      "/receivables/aging?format=csv&asOf=2026-03-20",
    );
    await sameAs("reconciliation_20260320T120000Z.csv", "/reconciliation?format=csv");
    await sameAs("valuation_20260320T120000Z.csv", "/valuation?format=csv");
  });

  it("send each match once across runs, and a match undone since as an undone line", async () => {
    const { exports, directory } = await site();
    const [first] = await exports.run(["payment-letters"]);

    s.clock.set("2026-03-21T12:00:00.000Z");
    expect(
      (await s.call("POST", "/invoices", { body: invoice("A3", 2000, "2026-03-05") })).status,
    ).toBe(201);
    const paid = await s.call("POST", "/payments", {
      body: {
        id: "P3",
        date: "2026-03-21",
        amount: 2000,
        currency: "EUR",
        customer: "acme",
        label: "VIR ACME A3",
      },
    });
    expect(paid.status, paid.text).toBe(201);
    expect((await s.call("POST", "/allocations/B/undo")).status).toBe(200);
    const [second] = await exports.run(["payment-letters"]);

    s.clock.set("2026-03-22T12:00:00.000Z");
    const [third] = await exports.run(["payment-letters"]);

    expect([first?.file, second?.file, third?.file]).toEqual([
      "payment-letters_20260320T120000Z.csv",
      "payment-letters_20260321T120000Z.csv",
      "payment-letters_20260322T120000Z.csv",
    ]);
    expect(letters(await lines(directory, second?.file ?? ""))).toEqual([
      ["C", "applied", "payment", "P3", "A3", "20.00"],
      ["B", "undone", "payment", "P2", "A2", "50.00"],
    ]);
    // Nothing new: a file with its header only, so the ERP sees the run happened.
    expect(await lines(directory, third?.file ?? "")).toEqual([]);
    expect(third?.rows).toBe(0);
  });

  it("a match made and undone between two exports is never sent", async () => {
    const { exports, directory } = await site();
    expect((await s.call("POST", "/allocations/B/undo")).status).toBe(200);
    const [first] = await exports.run(["payment-letters"]);
    s.clock.set("2026-03-21T12:00:00.000Z");
    const [second] = await exports.run(["payment-letters"]);
    expect(letters(await lines(directory, first?.file ?? "")).map((l) => l[0])).toEqual(["A", "A"]);
    expect(await lines(directory, second?.file ?? "")).toEqual([]);
  });

  it("finish an export cut short after its lines were taken, at the next run, without sending them twice", async () => {
    const { exports, directory } = await site();
    const fill = vi
      .spyOn(exports.folder, "fill")
      .mockRejectedValueOnce(new Error("no space left on device"));
    await expect(exports.run(["payment-letters", "aged-balance"])).rejects.toThrow(
      /payment-letters: no space left on device \(written: aged-balance_20260320T120000Z.csv\)/,
    );
    // The other kind was written; the cut one is only its temp file, which the ERP ignores.
    expect((await readdir(directory)).sort()).toEqual([
      ".payment-letters_20260320T120000Z.csv.tmp",
      "aged-balance_20260320T120000Z.csv",
    ]);
    fill.mockRestore();

    s.clock.set("2026-03-21T12:00:00.000Z");
    const [next] = await exports.run(["payment-letters"]);
    expect((await readdir(directory)).filter((name) => name.startsWith("payment")).sort()).toEqual([
      "payment-letters_20260320T120000Z.csv",
      "payment-letters_20260321T120000Z.csv",
    ]);
    expect(
      letters(await lines(directory, "payment-letters_20260320T120000Z.csv")).map((l) => l[3]),
    ).toEqual(["P1", "P1", "P2"]);
    expect(await lines(directory, next?.file ?? "")).toEqual([]);
  });
});
