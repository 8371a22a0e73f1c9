import { CREDIT_AMOUNT_MAX, type InputProblem, type OrderInput } from "@comptoir/contracts";
import type { Catalog } from "../catalog/service.js";
import type { OrderLineRow } from "./progress.js";

/** An order checked against the catalog and the store, ready to be decided and stored. */
export interface ResolvedOrder {
  input: OrderInput;
  orderDate: string;
  currency: string;
  customerName: string;
  lines: OrderLineRow[];
  total: number;
}

/** Orders refused: every problem, located; 400 (bad line), 404 (no such order), 409 (number taken, state) or 422 (a rule). */
export class OrderRefused extends Error {
  override name = "OrderRefused";
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    readonly problems: InputProblem[],
  ) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more, see problems)` : "";
    super(`${first?.path ? `${first.path}: ` : ""}${first?.message ?? "refused"}${more}`);
  }
}

export interface ResolveContext {
  catalog: Pick<Catalog, "product" | "skuOfGtin" | "customer">;
  /** Whether an order number is already stored. */
  exists: (number: string) => boolean;
  /** The site's currency: the only one orders may be in. */
  currency: string;
  /** Today (UTC), the order date of an order without one. */
  today: string;
}

/**
 * Checks orders (already valid against OrderInputSchema) against what the
 * gateway knows, all of them, so that a file's every problem is listed at
 * once: each line's product (by SKU, or the catalog product owning the
 * GTIN), the customer, the currency, the number not taken (nor repeated in
 * the batch). `locate(index, path)` says where a field of the order at
 * `index` is in what was sent: `lines[0].sku` for one order, `[3].lines[0].sku`
 * in a JSON file, `line 7, sku` in a CSV file (orderLocator).
 */
export function resolveOrders(
  inputs: readonly OrderInput[],
  context: ResolveContext,
  locate: OrderLocator = orderLocator(() => ""),
): ResolvedOrder[] {
  const bad: InputProblem[] = [];
  const taken: InputProblem[] = [];
  const rules: InputProblem[] = [];
  const path = locate;
  const seen = new Map<string, number>();
  const resolved = inputs.map((input, index): ResolvedOrder => {
    const lines: OrderLineRow[] = input.lines.map((line, lineIndex) => {
      let sku: string | undefined;
      if (line.sku !== undefined) {
        if (context.catalog.product(line.sku)) sku = line.sku;
        else
          bad.push({
            path: path(index, `lines[${lineIndex}].sku`),
            message: `no product ${line.sku} in the catalog`,
          });
      } else if (line.gtin !== undefined) {
        sku = context.catalog.skuOfGtin(line.gtin);
        if (!sku)
          bad.push({
            path: path(index, `lines[${lineIndex}].gtin`),
            message: `no product of the catalog has the GTIN ${line.gtin}`,
          });
      }
      return {
        number: input.number,
        line: lineIndex + 1,
        sku: sku ?? line.sku ?? null,
        gtin: line.gtin ?? null,
        quantity: line.quantity,
        unit_price: line.unitPrice,
      };
    });
    const total = input.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    if (total <= 0)
      rules.push({
        path: path(index, "lines"),
        message: "the order's total is 0.00: there is nothing to decide credit on",
      });
    else if (total > CREDIT_AMOUNT_MAX)
      rules.push({
        path: path(index, "lines"),
        message: `the order's total ${total} is over ${CREDIT_AMOUNT_MAX} minor units`,
      });
    const customer = context.catalog.customer(input.customer);
    if (!customer)
      rules.push({
        path: path(index, "customer"),
        message: `no customer ${input.customer}: create it first (POST /customers)`,
      });
    const currency = input.currency ?? context.currency;
    if (currency !== context.currency)
      rules.push({
        path: path(index, "currency"),
        message: `orders are taken in the site's currency ${context.currency}, not ${currency}`,
      });
    const first = seen.get(input.number);
    if (first !== undefined)
      taken.push({
        path: path(index, "number"),
        message: `order ${input.number} appears twice in this file (first at ${locate(first, "number")})`,
      });
    else if (context.exists(input.number))
      taken.push({
        path: path(index, "number"),
        message: `order ${input.number} is already recorded: place it under another number`,
      });
    seen.set(input.number, first ?? index);
    return {
      input,
      orderDate: input.orderDate ?? context.today,
      currency,
      customerName: customer?.name ?? input.customer,
      lines,
      total,
    };
  });
  if (bad.length > 0) throw new OrderRefused(400, [...bad, ...taken, ...rules]);
  if (taken.length > 0) throw new OrderRefused(409, [...taken, ...rules]);
  if (rules.length > 0) throw new OrderRefused(422, rules);
  return resolved;
}

/** Where the field `path` of the order at `index` is, in what the caller sent. */
export type OrderLocator = (index: number, path: string) => string;

/** Paths of JSON orders under `base(index)`: "" for a lone order, "[3]", "orders[3]". */
export function orderLocator(base: (index: number) => string): OrderLocator {
  return (index, path) => {
    const prefix = base(index);
    return prefix && path ? `${prefix}.${path}` : prefix || path;
  };
}
