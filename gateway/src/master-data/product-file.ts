import { type InputProblem, type Product, ProductSchema } from "@comptoir/contracts";
import { gtinsOf, productRuleProblems } from "../catalog/rules.js";
import { csvLine } from "../file-readers/csv-reader.js";
import { amountCell, currencyCell, gtinCell, gtinListCell } from "./cells.js";
import {
  duplicateProblems,
  type FileItem,
  inFileOrder,
  type MasterDataFile,
  type MasterDataFormat,
  type MasterDataReader,
  readMasterDataFile,
} from "./file.js";

/**
 * Products as CSV, one row per product: `sku`, `name`, `gtin` (its main
 * GTIN, optional), `other_gtins` (other pack sizes or labels, separated by
 * spaces or `|`), `unit_price` and `unit_cost` (decimals such as 12.50),
 * `currency` (empty: the site's), `category` (optional: the margin floors'
 * family). A GTIN of 8, 12 or 13 digits is padded to 14 with leading
 * zeros, which also restores those a spreadsheet dropped.
 */
export const PRODUCT_CSV_COLUMNS = [
  "sku",
  "name",
  "gtin",
  "other_gtins",
  "unit_price",
  "unit_cost",
  "currency",
  "category",
] as const;
type Column = (typeof PRODUCT_CSV_COLUMNS)[number];

export const PRODUCT_TEMPLATE_PATH = "/api/v1/products/template.csv";

export function productCsvTemplate(): string {
  return (
    csvLine(PRODUCT_CSV_COLUMNS) +
    csvLine([
      "CAFE-250",
      "Café moulu 250 g",
      "03012345678902",
      "13012345678909",
      "4.90",
      "2.75",
      "EUR",
      "épicerie",
    ]) +
    csvLine(["VIS-M6-100", "Vis M6 x 100", "", "", "0.35", "0.12", "", ""])
  );
}

const COLUMN_OF: Record<string, Column> = {
  sku: "sku",
  name: "name",
  gtin: "gtin",
  gtins: "other_gtins",
  unitPrice: "unit_price",
  unitCost: "unit_cost",
  category: "category",
};

function productReader(siteCurrency: string): MasterDataReader<Product, Column> {
  return {
    noun: "product",
    key: "products",
    columns: PRODUCT_CSV_COLUMNS,
    required: ["sku", "name", "unit_price", "unit_cost"],
    template: PRODUCT_TEMPLATE_PATH,
    examples: { unit_price: "such as 12.50", unit_cost: "such as 7.20" },
    columnOf: ([field, sub]) =>
      sub === "currency" ? "currency" : (COLUMN_OF[String(field)] ?? "sku"),
    fromRow({ get }, at, problems) {
      // A cell that cannot be read stands in as a valid value: said once, from the cell.
      const currency = currencyCell(get("currency"), siteCurrency);
      if (!currency.ok) problems.add(at("currency"), currency.message);
      const code = currency.ok ? currency.currency : siteCurrency;
      const money = (column: "unit_price" | "unit_cost") => {
        const read = amountCell(get(column), code);
        if (!read.ok) problems.add(at(column), read.message);
        return { amount: read.ok ? read.minor : 0, currency: code };
      };
      return {
        sku: get("sku"),
        name: get("name"),
        gtin: get("gtin") ? gtinCell(get("gtin")) : null,
        gtins: gtinListCell(get("other_gtins")),
        unitPrice: money("unit_price"),
        unitCost: money("unit_cost"),
        ...(get("category") ? { category: get("category") } : {}),
      };
    },
    parse: (input) => ProductSchema.safeParse(input),
  };
}

/**
 * A file of products read and checked on its own (before the store is
 * looked at): every product it holds, and every problem, each located by
 * CSV line and column or JSON path: a product given twice, a GTIN given to
 * two products, a price and cost in two currencies. JSON: one product, an
 * array or `{ "products": [...] }`, as POST /api/v1/products takes them
 * (amounts in minor units).
 */
export function readProductFile(
  text: string,
  format: MasterDataFormat,
  options: { currency: string },
): MasterDataFile<Product> {
  const file = readMasterDataFile(text, format, productReader(options.currency));
  const problems = [
    ...file.problems,
    ...duplicateProblems(file.items, (product) => product.sku, "sku", "product"),
  ];
  for (const item of file.items) {
    for (const rule of productRuleProblems(item.value))
      problems.push({ path: item.locate(rule.path), message: rule.message });
  }
  problems.push(...gtinsOnTwoProducts(file.items));
  return { items: file.items, problems: inFileOrder(problems) };
}

/** Where a GTIN of the product is given: `gtin`, or `gtins[2]`. */
export function gtinPath(product: Product, gtin: string): PropertyKey[] {
  return product.gtin === gtin ? ["gtin"] : ["gtins", product.gtins.indexOf(gtin)];
}

/** A GTIN names one product: the second product of the file to give it is a problem. */
function gtinsOnTwoProducts(items: readonly FileItem<Product>[]): InputProblem[] {
  const holders = new Map<string, FileItem<Product>>();
  const problems: InputProblem[] = [];
  for (const item of items) {
    for (const gtin of new Set(gtinsOf(item.value))) {
      const holder = holders.get(gtin);
      if (!holder) holders.set(gtin, item);
      else if (holder.value.sku !== item.value.sku)
        problems.push({
          path: item.locate(gtinPath(item.value, gtin)),
          message: `GTIN ${gtin} is also given to product ${holder.value.sku} at ${holder.place}: a GTIN names one product`,
        });
    }
  }
  return problems;
}
