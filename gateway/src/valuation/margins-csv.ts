import { formatDecimalMoney, type MarginListView } from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";

/**
 * The margin list for a spreadsheet: one line per invoice or sale line,
 * amounts as decimals with a point, then a total line over the rows with a
 * cost (as the JSON's totals). RFC 4180: one header line, CRLF.
 */
export function marginsCsv(list: MarginListView): string {
  const money = (amount: number | null) =>
    amount === null ? "" : formatDecimalMoney({ amount, currency: list.currency });
  let out = csvLine([
    "source",
    "document",
    "line",
    "order",
    "customer",
    "sku",
    "name",
    "date",
    "quantity",
    "revenue",
    "cogs",
    "margin",
    "rate",
    "floor",
    "flag",
    "estimated",
    "provisional",
    "currency",
    "method",
  ]);
  for (const row of list.rows) {
    out += csvLine([
      row.source,
      row.document,
      row.line,
      row.order,
      row.customer,
      row.sku,
      row.name,
      row.date,
      row.quantity,
      money(row.revenue),
      money(row.cogs),
      money(row.margin),
      row.rate,
      row.floor,
      row.flag,
      row.estimated ? "yes" : "no",
      row.provisional ? "yes" : "no",
      list.currency,
      list.method,
    ]);
  }
  const { totals } = list;
  out += csvLine([
    "TOTAL",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    money(totals.revenue),
    money(totals.cogs),
    money(totals.margin),
    totals.rate,
    "",
    "",
    "",
    "",
    list.currency,
    list.method,
  ]);
  return out;
}
