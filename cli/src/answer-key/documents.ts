import type { InvoiceInput } from "@comptoir/contracts";
import { KEY_CURRENCY, type KeyProduct, VAT_RATE } from "./catalog.js";

/** The invoices of the plan's accounting, totalled as EN 16931 totals them (VAT on the net total). */

export function invoiceLine(
  index: number,
  product: KeyProduct,
  quantity: number,
  unitPrice: number,
) {
  return {
    id: String(index + 1),
    gtin: product.gtin,
    sku: product.sku,
    name: product.name,
    quantity,
    unitCode: "C62",
    unitPrice,
    netAmount: unitPrice * quantity,
    vatRate: VAT_RATE,
  };
}

export function invoice(
  head: Pick<InvoiceInput, "number" | "direction" | "orderRef" | "issueDate" | "dueDate"> & {
    customer?: string;
    supplier?: string;
    lines: ReturnType<typeof invoiceLine>[];
  },
): InvoiceInput & { amountDue: number } {
  const netTotal = head.lines.reduce((sum, line) => sum + line.netAmount, 0);
  const vatTotal = Math.round((netTotal * VAT_RATE) / 100);
  return {
    ...head,
    type: "invoice",
    currency: KEY_CURRENCY,
    netTotal,
    vatTotal,
    grossTotal: netTotal + vatTotal,
    prepaid: 0,
    amountDue: netTotal + vatTotal,
    source: { format: "json" },
  };
}
