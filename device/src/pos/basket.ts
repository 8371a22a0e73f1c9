import type { BelowCostLine, BelowCostPolicy, Catalog, SaleLine } from "@comptoir/contracts";
import type { BasketItem } from "../movements/events.js";

type Product = Catalog["products"][number];

/** A line as the page or a client sends it: a product by SKU or GTIN, and the tags or a quantity. */
export interface LineInput {
  sku?: string | undefined;
  gtin?: string | undefined;
  epcs?: string[] | undefined;
  quantity?: number | undefined;
}

/** The basket as the counter shows it: priced lines, and the tags it cannot price. */
export interface PricedBasket {
  currency: string | null;
  catalogVersion: number | null;
  lines: SaleLine[];
  total: number;
  /** Tags on the counter whose product is not in the catalog (or not commissioned). */
  unpriced: BasketItem[];
  /** Lines priced under the next unit's cost, for the screen to flag (set by the service). */
  belowCost?: BelowCostLine[];
  belowCostPolicy?: BelowCostPolicy;
}

export class PricingError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** Finds a product by the SKU a tag was commissioned to, else by one of its GTINs. */
export function findProduct(
  catalog: Catalog | null,
  key: { sku?: string | null; gtin?: string | undefined },
) {
  if (!catalog) return undefined;
  const { sku, gtin } = key;
  if (sku != null) return catalog.products.find((p: Product) => p.sku === sku);
  if (gtin === undefined) return undefined;
  return catalog.products.find((p: Product) => p.gtin === gtin || p.gtins?.includes(gtin));
}

/**
 * Prices the tags on the counter plus lines added by hand. Tags of one
 * product make one line; prices always come from the catalog, never from
 * the client.
 */
export function priceBasket(
  catalog: Catalog | null,
  items: BasketItem[],
  manual: { gtin: string; quantity: number }[],
): PricedBasket {
  const unpriced: BasketItem[] = [];
  const inputs: LineInput[] = [];
  const bySku = new Map<string, LineInput>();
  for (const item of items) {
    const product = findProduct(catalog, { sku: item.sku, gtin: item.gtin });
    if (!product) {
      unpriced.push(item);
      continue;
    }
    const line = bySku.get(product.sku);
    if (line) line.epcs?.push(item.epc);
    else {
      const fresh: LineInput = { sku: product.sku, epcs: [item.epc] };
      bySku.set(product.sku, fresh);
      inputs.push(fresh);
    }
  }
  for (const line of manual) inputs.push({ gtin: line.gtin, quantity: line.quantity });
  const lines = inputs.length > 0 && catalog ? priceLines(catalog, inputs) : [];
  return {
    currency: catalog?.currency ?? null,
    catalogVersion: catalog?.version ?? null,
    lines,
    total: lines.reduce((sum, line) => sum + line.lineTotal, 0),
    unpriced,
  };
}

/** Prices lines from the catalog; throws PricingError (with the line's path) for one it lacks. */
export function priceLines(catalog: Catalog | null, inputs: LineInput[]): SaleLine[] {
  if (!catalog) {
    throw new PricingError(
      "no catalog received from the gateway yet: prices are unknown — wait for the gateway",
      "lines",
    );
  }
  return inputs.map((input, index) => {
    const product = findProduct(catalog, input);
    if (!product) {
      const key = input.sku !== undefined ? `SKU ${input.sku}` : `GTIN ${input.gtin}`;
      throw new PricingError(
        `${key} is not in the catalog (version ${catalog.version}) — check the code, or sell it once the gateway has it`,
        `lines[${index}].${input.sku !== undefined ? "sku" : "gtin"}`,
      );
    }
    const epcs = input.epcs ?? [];
    const quantity = input.quantity ?? epcs.length;
    const lineTotal = product.unitPrice * quantity;
    if (!Number.isSafeInteger(lineTotal)) {
      throw new PricingError(
        `line total of ${product.sku} is out of range`,
        `lines[${index}].quantity`,
      );
    }
    return {
      sku: product.sku,
      ...(product.gtin ? { gtin: product.gtin } : {}),
      name: product.name,
      epcs,
      quantity,
      unitPrice: product.unitPrice,
      lineTotal,
    };
  });
}
