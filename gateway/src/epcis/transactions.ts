import type Database from "better-sqlite3";
import { RECEIVABLES_SCHEMA } from "../receivables/tables.js";
import { prepared } from "../store/prepared.js";
import type { EpcisNames } from "./identifiers.js";
import type { ScannedMovement } from "./movement-scan.js";

/** One entry of an event's bizTransactionList (CBV 2.0 types). */
export interface BizTransaction {
  type: "po" | "desadv" | "inv";
  bizTransaction: string;
}

interface InvoiceRow {
  number: string;
  supplier: string | null;
  order_ref: string | null;
  despatch_ref: string | null;
}

/**
 * The business documents a movement belongs to, as the store links them:
 *
 * - receiving: the reference the dock set is the site's purchase order,
 *   or the supplier's despatch advice when a supplier invoice names it as
 *   such (BT-16) and not as its order (BT-13), the same rule as
 *   reconciliation; plus the supplier invoices that name it, and the order
 *   those invoices name;
 * - shipping: the sales order the dock shipped under (as type `po`: CBV
 *   has no sales-order type, and the customer's purchase order is not
 *   stored), plus the customer invoices that name it;
 * - a counter sale: the invoice of an on-account sale, which names the
 *   sale as its order.
 *
 * Put-aways and picks name no document in the ledger. Looked up once per
 * document and remembered (bounded): a pallet's forty tags share one.
 */
export function transactionLookup(db: Database.Database, names: EpcisNames) {
  // The invoices table exists once receivables ran; a store without it has no invoice to name.
  db.exec(RECEIVABLES_SCHEMA);
  const supplierInvoices = prepared<[string, string], InvoiceRow>(
    db,
    `SELECT number, supplier, order_ref, despatch_ref FROM invoices
     WHERE direction = 'supplier' AND type = 'invoice' AND (order_ref = ? OR despatch_ref = ?)
     ORDER BY number`,
  );
  const customerInvoices = prepared<[string], InvoiceRow>(
    db,
    `SELECT number, supplier, order_ref, despatch_ref FROM invoices
     WHERE direction = 'customer' AND type = 'invoice' AND order_ref = ? ORDER BY number`,
  );
  const known = new Map<string, BizTransaction[]>();

  const receipt = (reference: string): BizTransaction[] => {
    const invoices = supplierInvoices.all(reference, reference);
    const despatch = invoices.find(
      (invoice) => invoice.despatch_ref === reference && invoice.order_ref !== reference,
    );
    const list: BizTransaction[] = [];
    if (despatch) {
      list.push({
        type: "desadv",
        bizTransaction: names.supplierDocument("despatch", despatch.supplier, reference),
      });
      for (const order of new Set(invoices.map((invoice) => invoice.order_ref)))
        if (order) list.push({ type: "po", bizTransaction: names.ownDocument("po", order) });
    } else {
      list.push({ type: "po", bizTransaction: names.ownDocument("po", reference) });
    }
    for (const invoice of invoices)
      list.push({
        type: "inv",
        bizTransaction: names.supplierDocument("invoice", invoice.supplier, invoice.number),
      });
    return list;
  };
  const invoicesOf = (reference: string): BizTransaction[] =>
    customerInvoices.all(reference).map((invoice) => ({
      type: "inv",
      bizTransaction: names.ownDocument("invoice", invoice.number),
    }));

  return (movement: Pick<ScannedMovement, "kind" | "order" | "sale">): BizTransaction[] => {
    const reference = movement.kind === "sale" ? movement.sale : movement.order;
    if (!reference || !["receive", "ship", "sale"].includes(movement.kind)) return [];
    const key = `${movement.kind}\u0000${reference}`;
    let list = known.get(key);
    if (!list) {
      if (movement.kind === "receive") list = receipt(reference);
      else if (movement.kind === "ship")
        list = [
          { type: "po", bizTransaction: names.ownDocument("order", reference) },
          ...invoicesOf(reference),
        ];
      else list = invoicesOf(reference);
      if (known.size >= 1000) known.clear();
      known.set(key, list);
    }
    return list;
  };
}
