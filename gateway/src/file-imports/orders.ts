import { type OrderFileResult, parseOrderCsv, parseOrderJson } from "../orders/files.js";

/**
 * The parsers of a sales-orders file by format, the same for POST
 * /orders/import and the file drop's `inbound/orders/` folder; the orders
 * are then placed (and decided) by `OrderService.place`.
 */
export function orderFileParsers(
  currency: string,
): Record<"csv" | "json", (text: string) => OrderFileResult> {
  return {
    json: parseOrderJson,
    csv: (text) => parseOrderCsv(text, { currency }),
  };
}
