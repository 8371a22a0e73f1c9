import type { CostMethod, MarginFloors, MarginListView, MarginRowView } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { ValuationBook } from "./book.js";
import { marginList, marginRows } from "./margins.js";
import { type LineSelection, readMarginLines } from "./margins-sources.js";

export interface MarginQuery {
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
  source?: "invoice" | "sale";
  customer?: string;
  order?: string;
  flag?: MarginRowView["flag"];
}

/**
 * The margins of customer invoice lines and counter sale lines: read from
 * the store, costed with the book by `method`, checked against `floors`.
 * The flag filters after costing, so that a filtered list shows the same
 * figures as the whole one.
 */
export function marginReport(
  db: Database.Database,
  book: ValuationBook,
  options: { method: CostMethod; floors: MarginFloors; currency: string },
  query: MarginQuery = {},
): MarginListView {
  const selection: LineSelection = { currency: options.currency };
  if (query.from) selection.from = query.from;
  if (query.to) selection.to = query.to;
  if (query.source) selection.source = query.source;
  if (query.customer) selection.customer = query.customer;
  if (query.order) selection.order = query.order;
  const rows = marginRows(readMarginLines(db, selection), book, options.method, options.floors)
    .map(({ row }) => row)
    .filter((row) => !query.flag || row.flag === query.flag);
  return marginList(rows, options.method, options.currency);
}
