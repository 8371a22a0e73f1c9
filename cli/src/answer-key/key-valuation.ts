import type { InvoiceInput } from "@comptoir/contracts";
import { KEY_PRODUCTS, type KeyProduct } from "./catalog.js";
import type { PlannedItem, SitePlan } from "./plan.js";

/**
 * The valuation part of the answer key (issue 16), worked out from the plan
 * alone with the rules of the brief and business-rules.md ("Stock value and
 * movement analytics"), never with the gateway's code:
 *
 * - a layer is the units of one product received under one purchase order
 *   (the dock's PO of the day's delivery); its unit cost is the supplier
 *   invoice line's net unit price for that order and product (Σ net / Σ
 *   quantity, to the cent), the catalog cost (provisional) while no invoice
 *   has such a line. Every invoice of the plan is posted by the end, so the
 *   key reads every unit at its layer's final cost: a unit drawn before the
 *   invoice landed is revalued with it.
 * - FIFO: each unit that leaves draws the oldest layer of its product with
 *   units left, in the order the units leave (day by day, order by order,
 *   and within an order in the order the plan lists them). A unit picked
 *   and never shipped is still on site. Unknown products and plain tags
 *   have no cost.
 * - a FIFO breach: a unit leaves while a unit of the same product received
 *   strictly earlier (an earlier delivery) stays on site after its order's
 *   shipment (units that leave with the same order are not left behind).
 */

export interface KeyProductValue {
  /** Units on site at the end. */
  quantity: number;
  /** FIFO: what each layer has left × its cost. */
  value: number;
  /** The units on site, each at its own layer's cost. */
  actualValue: number;
  /** Units left in layers with no supplier invoice line. */
  provisionalQuantity: number;
}

export interface KeyProductCogs {
  /** Units that left. */
  quantity: number;
  /** FIFO cost of the units that left. */
  cogs: number;
  /** The units that left, each at its own layer's cost. */
  actualCost: number;
  /** actualCost − cogs. */
  difference: number;
}

export interface KeyMargin {
  /** The customer invoice number and its line id. */
  invoice: string;
  line: string;
  order: string;
  sku: string;
  quantity: number;
  revenue: number;
  cogs: number;
  margin: number;
  /** Some units invoiced were never seen leaving: costed at the product's next unit cost. */
  estimated: boolean;
}

export interface KeyValuation {
  /** GET /valuation: per product with a layer or a unit. */
  valuation: Record<string, KeyProductValue>;
  valuationTotal: KeyProductValue;
  /** Items on site with no product, so no cost. */
  unvalued: { unknownProducts: number; plainTags: number };
  /** GET /valuation/cogs over the whole history: per product that had a unit leave. */
  cogs: Record<string, KeyProductCogs>;
  /** GET /valuation/margins?source=invoice: one per customer invoice line, by invoice then line. */
  margins: KeyMargin[];
  /** GET /analytics/fifo: per product that had a unit leave, units out and breaches. */
  fifoBreaches: Record<string, { out: number; breaches: number }>;
}

interface KeyLayer {
  sku: string;
  po: string;
  day: number;
  quantity: number;
  /** Units FIFO has not drawn. */
  remaining: number;
  unitCost: number;
  provisional: boolean;
}

/** A unit received: its layer, and the day it came (its age for FIFO discipline). */
interface KeyUnit {
  item: PlannedItem;
  layer: KeyLayer;
  day: number;
}

const product = (sku: string) => KEY_PRODUCTS.find((p) => p.sku === sku) as KeyProduct;

export function valuationKey(plan: SitePlan): KeyValuation {
  const layers = new Map<string, KeyLayer[]>();
  const units = new Map<string, KeyUnit>();
  /** Units on site per product, by epc. */
  const onSite = new Map<string, Map<string, KeyUnit>>();
  /** Per order and product, the FIFO cost of each unit that left, in the order they left. */
  const drawn = new Map<string, number[]>();
  const cogs: Record<string, KeyProductCogs> = {};
  const fifo: Record<string, { out: number; breaches: number }> = {};
  const unvalued = { unknownProducts: 0, plainTags: 0 };

  plan.days.forEach((day, index) => {
    const { po, items, invoice } = day.delivery;
    for (const item of items) {
      if (item.sku === null) {
        if (item.gtin === null) unvalued.plainTags += 1;
        else unvalued.unknownProducts += 1;
        continue;
      }
      const own = layers.get(item.sku) ?? [];
      layers.set(item.sku, own);
      let layer = own.find((candidate) => candidate.po === po);
      if (!layer) {
        layer = {
          sku: item.sku,
          po,
          day: index,
          quantity: 0,
          remaining: 0,
          ...costOf(item.sku, invoice),
        };
        own.push(layer);
      }
      layer.quantity += 1;
      layer.remaining += 1;
      const unit = { item, layer, day: index };
      units.set(item.epc, unit);
      const here = onSite.get(item.sku) ?? new Map<string, KeyUnit>();
      onSite.set(item.sku, here);
      here.set(item.epc, unit);
    }
    for (const order of day.orders) {
      // The order's units leave as one shipment: a unit is left behind only if it stays.
      for (const item of order.shipped) {
        const unit = units.get(item.epc) as KeyUnit;
        onSite.get(unit.layer.sku)?.delete(item.epc);
      }
      for (const item of order.shipped) {
        const unit = units.get(item.epc) as KeyUnit;
        const sku = unit.layer.sku;
        const here = onSite.get(sku) as Map<string, KeyUnit>;
        const breach = [...here.values()].some((other) => other.day < unit.day);
        const head = (layers.get(sku) ?? []).find((layer) => layer.remaining > 0) as KeyLayer;
        head.remaining -= 1;
        const key = `${order.order}|${sku}`;
        drawn.set(key, [...(drawn.get(key) ?? []), head.unitCost]);
        const row = cogs[sku] ?? { quantity: 0, cogs: 0, actualCost: 0, difference: 0 };
        row.quantity += 1;
        row.cogs += head.unitCost;
        row.actualCost += unit.layer.unitCost;
        row.difference = row.actualCost - row.cogs;
        cogs[sku] = row;
        const discipline = fifo[sku] ?? { out: 0, breaches: 0 };
        discipline.out += 1;
        if (breach) discipline.breaches += 1;
        fifo[sku] = discipline;
      }
    }
  });

  const valuation: Record<string, KeyProductValue> = {};
  const valuationTotal: KeyProductValue = {
    quantity: 0,
    value: 0,
    actualValue: 0,
    provisionalQuantity: 0,
  };
  for (const [sku, own] of [...layers].sort(([a], [b]) => a.localeCompare(b))) {
    const here = [...(onSite.get(sku)?.values() ?? [])];
    const row: KeyProductValue = {
      quantity: here.length,
      value: own.reduce((sum, layer) => sum + layer.remaining * layer.unitCost, 0),
      actualValue: here.reduce((sum, unit) => sum + unit.layer.unitCost, 0),
      provisionalQuantity: own.reduce(
        (sum, layer) => sum + (layer.provisional ? layer.remaining : 0),
        0,
      ),
    };
    valuation[sku] = row;
    valuationTotal.quantity += row.quantity;
    valuationTotal.value += row.value;
    valuationTotal.actualValue += row.actualValue;
    valuationTotal.provisionalQuantity += row.provisionalQuantity;
  }

  // Units billed beyond those seen leaving cost what the next unit would now.
  const nextUnitCost = (sku: string) =>
    (layers.get(sku) ?? []).find((layer) => layer.remaining > 0)?.unitCost ?? product(sku).unitCost;
  const margins: KeyMargin[] = [];
  for (const invoice of customerInvoices(plan)) {
    const order = invoice.orderRef as string;
    for (const line of invoice.lines) {
      const sku = line.sku as string;
      const costs = drawn.get(`${order}|${sku}`) ?? [];
      const seen = costs.slice(0, line.quantity);
      const unseen = line.quantity - seen.length;
      const cost = seen.reduce((sum, each) => sum + each, 0) + unseen * nextUnitCost(sku);
      margins.push({
        invoice: invoice.number,
        line: line.id,
        order,
        sku,
        quantity: line.quantity,
        revenue: line.netAmount,
        cogs: cost,
        margin: line.netAmount - cost,
        estimated: unseen > 0,
      });
    }
  }
  margins.sort(compareMargins);

  return {
    valuation,
    valuationTotal,
    unvalued,
    cogs: sorted(cogs),
    margins,
    fifoBreaches: sorted(fifo),
  };
}

/**
 * A layer's cost: the supplier invoice's net unit price for its order and
 * product (Σ net / Σ quantity over its lines, to the cent), else the
 * catalog cost, provisional.
 */
function costOf(
  sku: string,
  invoice: InvoiceInput | null,
): { unitCost: number; provisional: boolean } {
  const lines = (invoice?.lines ?? []).filter((line) => line.sku === sku);
  const quantity = lines.reduce((sum, line) => sum + line.quantity, 0);
  if (quantity === 0) return { unitCost: product(sku).unitCost, provisional: true };
  const net = lines.reduce((sum, line) => sum + line.netAmount, 0);
  return { unitCost: Math.round(net / quantity), provisional: false };
}

/** Customer invoices in the order they were posted. */
function customerInvoices(plan: SitePlan): InvoiceInput[] {
  return plan.days.flatMap((day) => [
    ...day.orders.flatMap((order) => (order.invoice ? [order.invoice] : [])),
    ...day.unshippedInvoices,
  ]);
}

export function compareMargins(
  a: { invoice: string; line: string },
  b: { invoice: string; line: string },
): number {
  return (
    a.invoice.localeCompare(b.invoice) || a.line.localeCompare(b.line, "en", { numeric: true })
  );
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
