import { formatDecimalMoney } from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";
import type { Discrepancy } from "../reconciliation/types.js";
import { AGING_BUCKETS, type AgedBalance } from "./aging.js";
import type { Letter } from "./dunning.js";

/**
 * CSV exports for spreadsheets and accounting tools: amounts as decimals
 * with a point ("1234.50"), one header line, CRLF line ends (RFC 4180).
 */

const money = (amount: number | null, currency: string) =>
  amount === null ? "" : formatDecimalMoney({ amount, currency });

/** One line per customer, then a total line: the buckets and the unapplied column add up to the total. */
export function agingCsv(aged: AgedBalance): string {
  let out = csvLine([
    "customer",
    ...AGING_BUCKETS,
    "unapplied",
    "total",
    "currency",
    "as_of",
    "basis",
  ]);
  for (const row of aged.customers) {
    out += csvLine([
      row.customer,
      ...AGING_BUCKETS.map((bucket) => money(row.buckets[bucket], aged.currency)),
      money(row.unapplied, aged.currency),
      money(row.total, aged.currency),
      aged.currency,
      aged.asOf,
      aged.basis,
    ]);
  }
  out += csvLine([
    "TOTAL",
    ...AGING_BUCKETS.map((bucket) => money(aged.buckets[bucket], aged.currency)),
    money(aged.unapplied, aged.currency),
    money(aged.total, aged.currency),
    aged.currency,
    aged.asOf,
    aged.basis,
  ]);
  return out;
}

export function discrepanciesCsv(discrepancies: readonly Discrepancy[], currency: string): string {
  let out = csvLine([
    "kind",
    "order",
    "customer",
    "supplier",
    "sku",
    "gtin",
    "zone",
    "observed",
    "invoiced",
    "difference",
    "unit_price",
    "amount",
    "currency",
    "price_from",
    "invoices",
    "age_days",
    "since",
    "epcs",
    "evidence",
  ]);
  for (const d of discrepancies) {
    out += csvLine([
      d.kind,
      d.order,
      d.customer,
      d.supplier,
      d.sku,
      d.gtin,
      d.zone,
      d.observed,
      d.invoiced,
      d.difference,
      money(d.unitPrice, currency),
      money(d.amount, currency),
      currency,
      d.priceFrom,
      d.invoices.join(" "),
      d.ageDays,
      d.since,
      d.evidence.map((e) => e.epc).join(" "),
      d.evidence.map((e) => `${e.node}/${e.reader}/${e.antennas.join("+")}@${e.at}`).join(" "),
    ]);
  }
  return out;
}

/** One line per item of each letter, so that the queue can be worked in a spreadsheet. */
export function dunningCsv(letters: readonly Letter[], currency: string): string {
  let out = csvLine([
    "letter",
    "customer",
    "kind",
    "level",
    "status",
    "hold_reason",
    "invoice",
    "part",
    "due_date",
    "days_past_due",
    "open",
    "fee",
    "letter_total",
    "block_credit",
    "currency",
  ]);
  for (const letter of letters) {
    const items = letter.items.length > 0 ? letter.items : [undefined];
    for (const item of items) {
      out += csvLine([
        letter.id,
        letter.customer,
        letter.kind,
        letter.levelName,
        letter.status,
        letter.holdReason,
        item?.document,
        item?.part,
        item?.dueDate,
        item?.daysPastDue,
        item ? money(item.open, currency) : "",
        money(letter.fee, currency),
        money(letter.total, currency),
        letter.blockCredit ? "yes" : "no",
        currency,
      ]);
    }
  }
  return out;
}
