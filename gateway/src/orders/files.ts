import {
  formatPath,
  type InputProblem,
  type OrderInput,
  OrderInputSchema,
} from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";
import { readCsvTable } from "../file-readers/csv-table.js";
import { amountToMinor } from "../file-readers/decimal.js";
import { readJsonList } from "../file-readers/json-list.js";
import { Problems } from "../file-readers/parse-result.js";
import { type OrderLocator, orderLocator } from "./resolve.js";

/** A file of orders read: every order and where each field came from, or every problem. */
export type OrderFileResult =
  | { ok: true; orders: OrderInput[]; locate: OrderLocator }
  | { ok: false; problems: InputProblem[] };

/**
 * Orders as CSV, one row per order line, the rows of an order grouped by its
 * number (they need not be next to each other): `number`, `customer`,
 * `order_date` (YYYY-MM-DD, optional: today), `requested_ship_date`,
 * `currency` (optional: the site's), `sku` or `gtin` (one of the two),
 * `quantity` (whole units), `unit_price` (decimal, e.g. 12.50). The order's
 * columns must say the same on each of its rows.
 */
export const ORDER_CSV_COLUMNS = [
  "number",
  "customer",
  "order_date",
  "requested_ship_date",
  "currency",
  "sku",
  "gtin",
  "quantity",
  "unit_price",
] as const;
type Column = (typeof ORDER_CSV_COLUMNS)[number];
const ORDER_COLUMNS: Column[] = ["customer", "order_date", "requested_ship_date", "currency"];

export function orderCsvTemplate(): string {
  return (
    csvLine(ORDER_CSV_COLUMNS) +
    csvLine(["SO-1001", "acme", "2026-03-02", "2026-03-09", "EUR", "SKU-1", "", "10", "12.50"]) +
    csvLine([
      "SO-1001",
      "acme",
      "2026-03-02",
      "2026-03-09",
      "EUR",
      "",
      "03012345678900",
      "2",
      "4.00",
    ])
  );
}

const FIELD_OF: Record<string, Column> = {
  number: "number",
  customer: "customer",
  orderDate: "order_date",
  requestedShipDate: "requested_ship_date",
  currency: "currency",
  sku: "sku",
  gtin: "gtin",
  quantity: "quantity",
  unitPrice: "unit_price",
};

export function parseOrderCsv(text: string, options: { currency: string }): OrderFileResult {
  const problems = new Problems();
  const rows = readCsvTable(
    text,
    {
      columns: ORDER_CSV_COLUMNS,
      required: ["number", "customer", "requested_ship_date", "quantity", "unit_price"],
      rows: "order line",
      emptyHint: "(GET /orders/template.csv)",
    },
    problems,
  );
  if (!rows) return { ok: false, problems: problems.list };
  const orders: {
    input: Record<string, unknown>;
    lines: Record<string, unknown>[];
    rows: number[];
  }[] = [];
  const byNumber = new Map<string, (typeof orders)[number]>();
  for (const { line, get } of rows) {
    const at = (column: string) => `line ${line}, ${column}`;
    const number = get("number");
    let order = byNumber.get(number);
    if (!order) {
      order = {
        input: {
          number,
          customer: get("customer"),
          ...(get("order_date") ? { orderDate: get("order_date") } : {}),
          requestedShipDate: get("requested_ship_date"),
          ...(get("currency") ? { currency: get("currency") } : {}),
        },
        lines: [],
        rows: [],
      };
      byNumber.set(number, order);
      orders.push(order);
    } else {
      const first = order.rows[0];
      for (const column of ORDER_COLUMNS) {
        if (get(column) !== csvValue(order.input, column))
          problems.add(
            at(column),
            `order ${number} says "${csvValue(order.input, column)}" on line ${first}: every row of an order says the same`,
          );
      }
    }
    const quantityText = get("quantity");
    const quantity = /^\d+$/.test(quantityText) ? Number(quantityText) : Number.NaN;
    if (Number.isNaN(quantity))
      problems.add(at("quantity"), `"${quantityText}" is not a whole number of units`);
    const price = amountToMinor(get("unit_price").replace(",", "."), options.currency);
    if (!price.ok) problems.add(at("unit_price"), price.message);
    order.lines.push({
      ...(get("sku") ? { sku: get("sku") } : {}),
      ...(get("gtin") ? { gtin: get("gtin") } : {}),
      quantity,
      unitPrice: price.ok ? price.minor : Number.NaN,
    });
    order.rows.push(line);
  }
  const locate: OrderLocator = (index, path) => {
    const rowsOf = orders[index]?.rows ?? [];
    const inLine = /^lines\[(\d+)\](?:\.(\w+))?$/.exec(path);
    if (inLine) {
      const column = inLine[2] ? (FIELD_OF[inLine[2]] ?? inLine[2]) : "sku";
      return `line ${rowsOf[Number(inLine[1])] ?? rowsOf[0]}, ${column}`;
    }
    const column = FIELD_OF[path.split(".")[0] ?? ""] ?? (path || "number");
    return `line ${rowsOf[0]}, ${column}`;
  };
  const parsed: OrderInput[] = [];
  orders.forEach((order, index) => {
    const result = OrderInputSchema.safeParse({ ...order.input, lines: order.lines });
    if (result.success) parsed.push(result.data);
    else {
      for (const issue of result.error.issues) {
        const path = formatPath(issue.path);
        // Already said above from the cell itself.
        if (/\.(quantity|unitPrice)$/.test(path) && issue.code === "invalid_type") continue;
        problems.add(locate(index, path), issue.message);
      }
    }
  });
  if (!problems.empty) return { ok: false, problems: problems.list };
  return { ok: true, orders: parsed, locate };
}

function csvValue(input: Record<string, unknown>, column: Column): string {
  const key = Object.entries(FIELD_OF).find(([, value]) => value === column)?.[0] ?? column;
  const value = input[key];
  return typeof value === "string" ? value : "";
}

/** Orders as JSON: one order, an array, or `{ "orders": [...] }`, in OrderInputSchema's shape. */
export function parseOrderJson(text: string): OrderFileResult {
  const file = readJsonList(text, { key: "orders", one: "an order" });
  if (!file.ok) return file;
  const base = file.at;
  const problems = new Problems();
  const orders: OrderInput[] = [];
  file.items.forEach((item, index) => {
    const parsed = OrderInputSchema.safeParse(item);
    if (!parsed.success) problems.addIssues(base(index), parsed.error.issues);
    else orders.push(parsed.data);
  });
  if (!problems.empty) return { ok: false, problems: problems.list };
  return { ok: true, orders, locate: orderLocator(base) };
}
