import { KEY_PRODUCTS, type KeyProduct } from "./catalog.js";
import type { KeyDiscrepancy } from "./key.js";
import type { SitePlan } from "./plan.js";

/**
 * Per purchase order and product: the units received through the dock door
 * against what the supplier's invoice for that order bills
 * (business-rules.md, "Purchases mirror this"). A delivery whose invoice
 * never arrives is received not invoiced, at the catalog price (no invoice
 * price to take), with one read per unit as evidence. Items with no product
 * are the unknown tag and unknown product reports' business, not this one's.
 */
export function purchaseGaps(plan: SitePlan): KeyDiscrepancy[] {
  const gaps: KeyDiscrepancy[] = [];
  for (const { po, items, invoice } of plan.days.map((day) => day.delivery)) {
    const seen = new Map<string, number>();
    for (const item of items)
      if (item.sku !== null) seen.set(item.sku, (seen.get(item.sku) ?? 0) + 1);
    const billed = new Map((invoice?.lines ?? []).map((line) => [line.sku as string, line]));
    for (const sku of new Set([...seen.keys(), ...billed.keys()])) {
      const observed = seen.get(sku) ?? 0;
      const line = billed.get(sku);
      const invoiced = line?.quantity ?? 0;
      if (observed === invoiced) continue;
      const price =
        line?.unitPrice ?? (KEY_PRODUCTS.find((p) => p.sku === sku) as KeyProduct).unitPrice;
      gaps.push({
        kind: observed > invoiced ? "received_not_invoiced" : "invoiced_not_received",
        order: po,
        sku,
        gtin: null,
        observed,
        invoiced,
        amount: Math.abs(observed - invoiced) * price,
        evidence: observed,
      });
    }
  }
  return gaps;
}
