/** How the pages write times and products (a place: `place` of contracts/browser). */

export function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString();
}

export function product(
  sku: string | null | undefined,
  identity: { gtin?: string | undefined } | undefined,
): string {
  if (sku) return sku;
  if (identity?.gtin) return `GTIN ${identity.gtin} (not commissioned)`;
  return "unknown (not commissioned)";
}
