import { sgtin96 } from "../readers/sgtin.js";
import type { HistoryProduct } from "./history-catalog.js";
import type { GoodsRecord } from "./history-faults.js";
import type { Dice } from "./pace.js";

/** One item read crossing a portal, as a node's movement entry carries it. */
export interface HistoryMovement {
  /** The node whose chain records it. */
  node: string;
  epc: string;
  /** null: an uncommissioned tag. */
  sku: string | null;
  gtin?: string;
  kind: "receive" | "ship";
  from: string | null;
  to: string | null;
  reader: string;
  antennas: number[];
  reads: number;
  at: string;
  order: string;
  customer?: string;
}

export const INBOUND_NODE = "inbound-1";
export const OUTBOUND_NODE = "outbound-1";
export const WAREHOUSE_ZONE = "warehouse";

/** An order (customer or supplier) and what it holds: SKU → quantity. */
export interface GoodsOrder {
  id: string;
  party: string;
  lines: Map<string, number>;
  record: GoodsRecord;
}

/**
 * The physical side of a generated history: items on the warehouse
 * shelves (each a tag, FIFO per SKU), purchase orders arriving through the
 * inbound portal, customer orders leaving through the outbound one, and the
 * per-SKU tallies that stock and book are compared on.
 */
export class HistoryWarehouse {
  readonly #stock = new Map<string, string[]>();
  readonly #serials = new Map<string, number>();
  readonly #onOrder = new Map<string, number>();
  #unknownTags = 0;
  readonly sales: GoodsRecord[] = [];
  readonly purchases: GoodsRecord[] = [];
  /** Per SKU: items received and shipped, quantities billed by suppliers and to customers. */
  readonly tallies = new Map<
    string,
    { received: number; shipped: number; bought: number; sold: number }
  >();

  constructor(
    readonly products: readonly HistoryProduct[],
    private readonly dice: Dice,
  ) {
    for (const product of products)
      this.tallies.set(product.sku, { received: 0, shipped: 0, bought: 0, sold: 0 });
  }

  product(sku: string): HistoryProduct {
    const found = this.products.find((product) => product.sku === sku);
    if (!found) throw new Error(`no product ${sku}`);
    return found;
  }

  available(sku: string): number {
    return this.#stock.get(sku)?.length ?? 0;
  }

  /**
   * A new order record (sales or purchases), not yet seen nor billed. A
   * purchase order that will never arrive (`expected` false) is not counted
   * on order, or its SKUs would never be ordered again.
   */
  order(
    id: string,
    party: string,
    lines: Map<string, number>,
    side: "sales" | "purchases",
    expected = true,
  ) {
    const record: GoodsRecord = { order: id, seen: new Map(), billed: undefined, unknownTags: 0 };
    (side === "sales" ? this.sales : this.purchases).push(record);
    if (side === "purchases" && expected)
      for (const [sku, quantity] of lines)
        this.#onOrder.set(sku, (this.#onOrder.get(sku) ?? 0) + quantity);
    return { id, party, lines, record } satisfies GoodsOrder;
  }

  /** SKUs of a supplier running low (stock and what is on order under `minimum`), with the quantity to order. */
  shortages(supplier: string, minimum: number, target: number): Map<string, number> {
    const wanted = new Map<string, number>();
    for (const product of this.products) {
      if (product.supplier !== supplier) continue;
      const have = this.available(product.sku) + (this.#onOrder.get(product.sku) ?? 0);
      if (have < minimum) wanted.set(product.sku, target - have + this.dice.int(0, 4));
    }
    return wanted;
  }

  /** The delivery of a purchase order read at the inbound portal: new tags put on the shelves. */
  receive(po: GoodsOrder, at: () => string): HistoryMovement[] {
    const movements: HistoryMovement[] = [];
    for (const [sku, quantity] of po.lines) {
      const product = this.product(sku);
      const first = this.#serials.get(product.gtin) ?? 1;
      this.#serials.set(product.gtin, first + quantity);
      this.#onOrder.set(sku, (this.#onOrder.get(sku) ?? 0) - quantity);
      const shelf = this.#stock.get(sku) ?? [];
      for (let i = 0; i < quantity; i++) {
        const epc = sgtin96(product.gtin, first + i);
        shelf.push(epc);
        movements.push(this.read(INBOUND_NODE, epc, product, "receive", po.id, at()));
      }
      this.#stock.set(sku, shelf);
      this.seen(po.record, sku, quantity, movements.at(-1)?.at as string);
      this.tally(sku).received += quantity;
    }
    return movements;
  }

  /** A customer order leaving through the outbound portal, oldest items first; `unknownTag` adds a tag nobody commissioned. */
  ship(order: GoodsOrder, at: () => string, unknownTag: boolean): HistoryMovement[] {
    const movements: HistoryMovement[] = [];
    for (const [sku, quantity] of order.lines) {
      const product = this.product(sku);
      const shelf = this.#stock.get(sku) ?? [];
      if (shelf.length < quantity)
        throw new Error(`${order.id}: ${quantity} ${sku} asked, ${shelf.length} in stock`);
      const first = movements.length;
      for (const epc of shelf.splice(0, quantity))
        movements.push(this.read(OUTBOUND_NODE, epc, product, "ship", order.id, at(), order.party));
      this.seen(order.record, sku, quantity, (movements[first] as HistoryMovement).at);
      this.tally(sku).shipped += quantity;
    }
    if (unknownTag) {
      this.#unknownTags += 1;
      const epc = `E2806894${this.#unknownTags.toString(16).toUpperCase().padStart(16, "0")}`;
      movements.push(this.read(OUTBOUND_NODE, epc, undefined, "ship", order.id, at(), order.party));
      order.record.unknownTags += 1;
    }
    return movements;
  }

  /** Quantities an invoice bills against an order (sales or purchases). */
  bill(record: GoodsRecord, lines: Map<string, number>, side: "sales" | "purchases"): void {
    record.billed ??= new Map();
    for (const [sku, quantity] of lines) {
      record.billed.set(sku, (record.billed.get(sku) ?? 0) + quantity);
      this.tally(sku)[side === "sales" ? "sold" : "bought"] += quantity;
    }
  }

  /** Per SKU: the RFID count (received − shipped) and the book (bought − sold). */
  stockAgainstBook(): Map<string, { counted: number; book: number }> {
    const out = new Map<string, { counted: number; book: number }>();
    for (const [sku, t] of this.tallies)
      out.set(sku, { counted: t.received - t.shipped, book: t.bought - t.sold });
    return out;
  }

  private tally(sku: string) {
    const found = this.tallies.get(sku);
    if (!found) throw new Error(`no product ${sku}`);
    return found;
  }

  private seen(record: GoodsRecord, sku: string, count: number, firstAt: string) {
    const before = record.seen.get(sku);
    record.seen.set(sku, {
      count: (before?.count ?? 0) + count,
      firstAt: before && before.firstAt < firstAt ? before.firstAt : firstAt,
    });
  }

  private read(
    node: string,
    epc: string,
    product: HistoryProduct | undefined,
    kind: "receive" | "ship",
    order: string,
    at: string,
    customer?: string,
  ): HistoryMovement {
    return {
      node,
      epc,
      sku: product?.sku ?? null,
      ...(product ? { gtin: product.gtin } : {}),
      kind,
      from: kind === "receive" ? null : WAREHOUSE_ZONE,
      to: kind === "receive" ? WAREHOUSE_ZONE : null,
      reader: kind === "receive" ? "portal-in" : "portal-out",
      antennas: this.dice.chance(0.5) ? [1, 2] : [2, 1],
      reads: this.dice.int(2, 6),
      at,
      order,
      ...(customer ? { customer } : {}),
    };
  }
}
