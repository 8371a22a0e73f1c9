import { type Customer, CustomerSchema } from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";
import { amountCell, currencyCell, wholeNumberCell } from "./cells.js";
import {
  duplicateProblems,
  inFileOrder,
  type MasterDataFile,
  type MasterDataFormat,
  type MasterDataReader,
  readMasterDataFile,
} from "./file.js";

/**
 * Customers as CSV, one row per customer: `id` (our id, also the credit
 * topic's: letters, digits, `_ . -`), `name`, `credit_limit` (a decimal
 * such as 5000.00, or `unlimited`), `currency` (of the limit; empty: the
 * site's), `payment_terms_days` (0 to 365). `;` separators and decimal
 * commas are accepted, as French spreadsheets write them.
 */
export const CUSTOMER_CSV_COLUMNS = [
  "id",
  "name",
  "credit_limit",
  "currency",
  "payment_terms_days",
] as const;
type Column = (typeof CUSTOMER_CSV_COLUMNS)[number];

export const CUSTOMER_TEMPLATE_PATH = "/api/v1/customers/template.csv";

export function customerCsvTemplate(): string {
  return (
    csvLine(CUSTOMER_CSV_COLUMNS) +
    csvLine(["acme", "ACME Bâtiment SAS", "5000.00", "EUR", "30"]) +
    csvLine(["bistro", "Le Bistro du Port", "unlimited", "", "45"])
  );
}

const COLUMN_OF: Record<string, Column> = {
  id: "id",
  name: "name",
  creditLimit: "credit_limit",
  paymentTermsDays: "payment_terms_days",
};

function customerReader(siteCurrency: string): MasterDataReader<Customer, Column> {
  return {
    noun: "customer",
    key: "customers",
    columns: CUSTOMER_CSV_COLUMNS,
    required: ["id", "name", "credit_limit", "payment_terms_days"],
    template: CUSTOMER_TEMPLATE_PATH,
    examples: {
      credit_limit: 'the most it may owe, such as 5000.00, or "unlimited"',
      payment_terms_days: "such as 30",
    },
    columnOf: ([field, sub]) =>
      field === "creditLimit" && sub === "currency"
        ? "currency"
        : (COLUMN_OF[String(field)] ?? "id"),
    fromRow({ get }, at, problems) {
      // A cell that cannot be read stands in as "unlimited" or 0: said once, from the cell.
      let creditLimit: Customer["creditLimit"] = "unlimited";
      const limit = get("credit_limit");
      if (limit.toLowerCase() !== "unlimited") {
        const currency = currencyCell(get("currency"), siteCurrency);
        const amount = currency.ok ? amountCell(limit, currency.currency) : undefined;
        if (!currency.ok) problems.add(at("currency"), currency.message);
        else if (amount && !amount.ok) problems.add(at("credit_limit"), amount.message);
        else if (amount?.ok) creditLimit = { amount: amount.minor, currency: currency.currency };
      }
      const terms = wholeNumberCell(get("payment_terms_days"));
      if (terms === undefined)
        problems.add(
          at("payment_terms_days"),
          `"${get("payment_terms_days")}" is not a whole number of days such as 30`,
        );
      return { id: get("id"), name: get("name"), creditLimit, paymentTermsDays: terms ?? 0 };
    },
    parse: (input) => CustomerSchema.safeParse(input),
  };
}

/**
 * A file of customers read and checked on its own (before the store is
 * looked at): every customer it holds, and every problem, each located by
 * CSV line and column or JSON path; a customer given twice is a problem.
 * JSON: one customer, an array or `{ "customers": [...] }`, as POST
 * /api/v1/customers takes them (limits in minor units).
 */
export function readCustomerFile(
  text: string,
  format: MasterDataFormat,
  options: { currency: string },
): MasterDataFile<Customer> {
  const file = readMasterDataFile(text, format, customerReader(options.currency));
  return {
    items: file.items,
    problems: inFileOrder([
      ...file.problems,
      ...duplicateProblems(file.items, (customer) => customer.id, "id", "customer"),
    ]),
  };
}
