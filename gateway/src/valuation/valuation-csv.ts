import {
  type CogsReportView,
  formatDecimalMoney,
  type LayerListView,
  type ValuationReportView,
} from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";

/**
 * CSV exports of the /valuation views, for spreadsheets and accounting
 * tools: amounts as decimals with a point ("1234.50"), instants in ISO
 * UTC, one header line, CRLF line ends (as receivables-reports/exports.ts).
 */

const money = (amount: number, currency: string) => formatDecimalMoney({ amount, currency });

/** One line per product, then a total line. */
export function valuationCsv(report: ValuationReportView): string {
  const c = report.currency;
  let out = csvLine([
    "sku",
    "name",
    "quantity",
    "value",
    "unit_cost",
    "provisional_quantity",
    "actual_value",
    "currency",
    "as_of",
    "method",
  ]);
  for (const row of report.rows) {
    out += csvLine([
      row.sku,
      row.name,
      row.quantity,
      money(row.value, c),
      money(row.unitCost, c),
      row.provisionalQuantity,
      money(row.actualValue, c),
      c,
      report.asOf,
      report.method,
    ]);
  }
  const t = report.totals;
  out += csvLine([
    "TOTAL",
    "",
    t.quantity,
    money(t.value, c),
    "",
    t.provisionalQuantity,
    money(t.actualValue, c),
    c,
    report.asOf,
    report.method,
  ]);
  return out;
}

export function layersCsv(list: LayerListView): string {
  const c = list.currency;
  let out = csvLine([
    "sku",
    "order",
    "received_at",
    "quantity",
    "remaining",
    "unit_cost",
    "provisional",
    "invoice",
    "currency",
  ]);
  for (const layer of list.layers) {
    out += csvLine([
      layer.sku,
      layer.order,
      layer.receivedAt,
      layer.quantity,
      layer.remaining,
      money(layer.unitCost, c),
      layer.provisional ? "true" : "false",
      layer.invoice,
      c,
    ]);
  }
  return out;
}

/** One line per product, then a total line. */
export function cogsCsv(report: CogsReportView): string {
  const c = report.currency;
  const tail = [c, report.from, report.to, report.method];
  let out = csvLine([
    "sku",
    "name",
    "quantity",
    "shipped",
    "sold",
    "written_off",
    "cogs",
    "actual_cost",
    "difference",
    "provisional",
    "currency",
    "from",
    "to",
    "method",
  ]);
  for (const row of report.rows) {
    out += csvLine([
      row.sku,
      row.name,
      row.quantity,
      row.shipped,
      row.sold,
      row.writtenOff,
      money(row.cogs, c),
      money(row.actualCost, c),
      money(row.difference, c),
      row.provisional,
      ...tail,
    ]);
  }
  const t = report.totals;
  out += csvLine([
    "TOTAL",
    "",
    t.quantity,
    "",
    "",
    "",
    money(t.cogs, c),
    money(t.actualCost, c),
    money(t.difference, c),
    "",
    ...tail,
  ]);
  return out;
}
