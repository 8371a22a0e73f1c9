import type { CostMethod, MovementKind } from "@comptoir/contracts";

/**
 * The valuation book's contract (issue 16): what the engine answers, for the
 * service, margins and analytics that read it. The engine (`engine.ts`)
 * implements it; nothing else keeps cost layers.
 *
 * Every movement is one unit (one tag), so each unit that goes out draws
 * exactly one unit from exactly one layer: FIFO takes the oldest layer with
 * units left; the unit's own layer (the one it came in with, known from
 * its EPC) is its actual cost. Costs belong to layer keys, not to the draws,
 * so a supplier invoice that sets a layer's cost revalues every unit
 * already drawn from it at once (`setCost`), and reports read the new cost.
 */

/** One unit's movement as valuation reads it, its product resolved (SKU, or null: unknown, not valued). */
export interface UnitMovement {
  chain: string;
  seq: number;
  epc: string;
  sku: string | null;
  kind: MovementKind;
  from: string | null;
  to: string | null;
  /** ISO UTC, by the node's clock. */
  at: string;
  /** Receipts: the purchase order (or despatch advice) of the dock; shipments: the sales order; counter sales: the sale id. */
  order: string | null;
}

/** A layer's unit cost and where it comes from. */
export interface LayerCost {
  unitCost: number;
  /** true: the catalog cost, until the supplier invoice arrives. */
  provisional: boolean;
  invoice: string | null;
}

/** A layer's identity: its product and the order it came in under (`layerKey`). */
export type LayerKey = string;

/** The layer of units of `sku` received under `order` (null: received with no order on the dock). */
export function layerKey(sku: string, order: string | null): LayerKey {
  return `${sku}\u0000${order ?? ""}`;
}

/** The key of units that went out without ever being seen arriving: costed at the catalog cost, provisional. */
export function unreceivedKey(sku: string): LayerKey {
  return `${sku}\u0000\u0000unreceived`;
}

export interface Layer {
  sku: string;
  key: LayerKey;
  order: string | null;
  receivedAt: string;
  quantity: number;
  /** Units FIFO has not drawn yet. */
  remaining: number;
}

/** A product's name for the reports (the catalog's, else the SKU itself). */
export type Names = (sku: string) => string;

/** Kinds of movement that take a unit out of the site's stock. */
export type ExitKind = "ship" | "sale" | "adjust";

/** One unit that went out. */
export interface UnitExit {
  epc: string;
  sku: string;
  at: string;
  kind: ExitKind;
  /** The order it shipped for, or the counter sale's id. */
  order: string | null;
  /** The zone it was taken from (its last zone before `picked`, the dock or the counter). */
  zone: string | null;
  /** The layer FIFO drew this unit from. */
  fifoKey: LayerKey;
  /** The layer the unit itself came in with; null: never seen arriving. */
  actualKey: LayerKey | null;
  receivedAt: string | null;
  /** FIFO discipline: a unit of the same product from an earlier delivery (another order received before, or an earlier UTC day) left on site by this one's shipment (its product's exits in a row under its order). */
  olderOnSite: { epc: string; receivedAt: string } | null;
}

/** A unit on site now. */
export interface UnitOnSite {
  epc: string;
  sku: string;
  zone: string | null;
  receivedAt: string;
  key: LayerKey;
}

export interface SkuValue {
  quantity: number;
  /** By the method asked, minor units. */
  value: number;
  /** Units still on a provisional layer (FIFO: the layers' remaining; average: the receipts not invoiced). */
  provisionalQuantity: number;
  provisionalValue: number;
  /** The units on site at their own layers' costs. */
  actualValue: number;
  /** Units per zone at that instant. */
  zones: Map<string | null, number>;
}

export interface SkuCogs {
  quantity: number;
  byKind: Record<ExitKind, number>;
  /** By the method asked, minor units. */
  cogs: number;
  actualCost: number;
  /** FIFO cost of the same units (for the difference whatever the method). */
  fifoCost: number;
  provisional: number;
}

export interface Range {
  /** ISO UTC, inclusive. */
  from?: string;
  /** ISO UTC, inclusive. */
  to?: string;
  sku?: string;
  order?: string;
}

export interface ValuationBook {
  /** Folds one movement in. Movements come in time order; one older than the last of its product replays that product. */
  apply(movement: UnitMovement): void;
  /** Sets (or revalues) a layer's cost. O(1) for FIFO whatever the draws on it. */
  setCost(key: LayerKey, cost: LayerCost): void;
  /** The provisional layers of these products take their catalog cost again (the catalog's cost changed). */
  recostProvisional(skus: ReadonlySet<string>): void;
  /** The cost of a layer key: its own, else the provisional cost of its product (`catalogCost`). */
  cost(key: LayerKey): LayerCost;
  /** The layers of a product (or all), oldest first, with what FIFO left in them now. */
  layers(sku?: string): Layer[];
  /** The units gone out in a range, in time order. */
  exits(range?: Range): UnitExit[];
  /** The cost of one exit by a method, minor units (average: the average at that instant, rounded). */
  exitCost(exit: UnitExit, method: CostMethod): number;
  /** The units on site now. */
  onSite(sku?: string): UnitOnSite[];
  /** Stock value per product (or of one, `sku`) at an instant (now when absent). */
  value(asOf: string | undefined, method: CostMethod, sku?: string): Map<string, SkuValue>;
  /** Cost of goods gone out per product in a range. */
  cogs(range: Range, method: CostMethod): Map<string, SkuCogs>;
  /**
   * Per product, the stock value at the end of each UTC day from `from` to
   * `to` (dates YYYY-MM-DD, inclusive): one pass, for turnover and the value
   * chart (365 days over a million movements in well under a second).
   */
  valueByDay(from: string, to: string, method: CostMethod): Map<string, number[]>;
  /** Per product, the units on site at the end of each UTC day from `from` to `to` (as `valueByDay`). */
  quantityByDay(from: string, to: string): Map<string, number[]>;
  /** The cost the next unit of a product that goes out would take now (FIFO head, else the catalog cost). */
  nextUnitCost(sku: string): LayerCost;
  /** The products the book has seen. */
  skus(): string[];
}

/** Builds a book; `catalogCost` is the provisional cost of a product's layers until their invoice. */
export interface BookOptions {
  catalogCost: (sku: string) => number;
}
