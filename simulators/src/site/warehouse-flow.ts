import { DEMO_CUSTOMERS, DEMO_PRODUCTS, type DemoProduct } from "./demo-data.js";
import { ApiCallError, type JsonApi } from "./http-client.js";
import { type Dice, pause } from "./pace.js";
import { type HeldOrder, SalesDesk } from "./sales-desk.js";
import type { SiteWorld } from "./world.js";

export interface WarehouseFlowOptions {
  world: SiteWorld;
  /** The portal node's local API (for the dock's current order). */
  portal: JsonApi;
  dice: Dice;
  /** One line per thing that happened, for the demo's output. */
  say: (line: string) => void;
  /** How long the nodes take to decide a tag left a zone: their lostTimeoutMs plus a margin. */
  settleMs: number;
  /**
   * The gateway's API, where the ERP's sales module places each dock order
   * before it is picked: a held order waits aside. Without it, orders go to
   * the dock unchecked (as before orders existed).
   */
  sales?: JsonApi;
  /** Shelf occupancy the flow keeps between. */
  minShelved?: number;
  maxShelved?: number;
}

type ShelvedItem = ReturnType<SiteWorld["shelvedItems"]>[number];

/** How long a tag takes to cross one side of the dock door. */
const CROSSING_MS = 1200;
/** Held orders kept waiting at most: beyond, the oldest is given up (cancelled with the customer). */
const MAX_HELD = 12;
/** Held orders asked about again per step: the oldest first. */
const RETRIES_PER_STEP = 4;

/**
 * The warehouse staff of a simulated site, one step at a time: a delivery
 * through the dock door and put away on the shelves, or an order picked
 * from the shelves and shipped through the door to a customer. Steps run
 * one after another (one dock door).
 */
export class WarehouseFlow {
  private readonly desk: SalesDesk | undefined;

  constructor(private readonly options: WarehouseFlowOptions) {
    this.desk = options.sales ? new SalesDesk(options.sales) : undefined;
  }

  /** Runs steps until `signal` aborts. Errors are reported and the flow goes on. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.step(signal);
      } catch (error) {
        this.options.say(`warehouse: ${(error as Error).message}`);
      }
      await pause(this.options.dice.int(2000, 5000), signal);
    }
  }

  async step(signal: AbortSignal): Promise<void> {
    const shelved = this.options.world.shelvedItems().length;
    const low = this.options.minShelved ?? 15;
    const high = this.options.maxShelved ?? 150;
    if (shelved < low || (shelved < high && this.options.dice.chance(0.5))) {
      await this.receive(signal);
    } else {
      await this.ship(signal);
    }
  }

  /**
   * A delivery walks in through the door (outside antenna, then inside) under
   * its purchase order, set on the dock, and is put away; accounting then
   * books the supplier's invoice for it.
   */
  async receive(signal: AbortSignal): Promise<void> {
    const { world, dice, say, portal } = this.options;
    const product = dice.pick(DEMO_PRODUCTS);
    const epcs = world.newItems(product, dice.int(4, 10));
    world.state.purchases = (world.state.purchases ?? 0) + 1;
    const po = `PO-${String(world.state.purchases).padStart(5, "0")}`;
    await world.save();
    await portal.put("/api/v1/dock/order", { order: po, customer: null });
    if (!(await this.crossDoor(epcs, "in", signal))) return;
    world.state.deliveries = [
      ...(world.state.deliveries ?? []),
      { po, lines: { [product.gtin]: epcs.length }, at: new Date().toISOString(), invoiced: false },
    ].slice(-300);
    say(`dock door: received ${epcs.length} × ${product.name} (${po})`);
    const bay = dice.int(1, 2);
    for (const epc of epcs) world.putOnShelf(epc, product.gtin, bay);
    await world.save();
    await pause(this.options.settleMs, signal);
    say(`shelf: put away ${epcs.length} × ${product.name} in bay-${bay}`);
  }

  /**
   * An order is placed with the gateway (when there is one), then picked from
   * the shelves and sent through the door, assigned to its customer. A held
   * order is kept aside and asked about again at the next steps; one a
   * payment released goes first.
   */
  async ship(signal: AbortSignal): Promise<void> {
    const { world, dice, say } = this.options;
    const released = await this.releasedOrder();
    if (released) {
      const items = this.itemsFor(released.lines);
      if (!(await this.pickAndShip(released.order, released.customer, items, signal)))
        await this.keepHeld(released);
      return;
    }
    const customer = dice.pick(DEMO_CUSTOMERS.filter((c) => c.creditLimit !== 0));
    const candidates = this.pickList(dice.int(2, 6));
    if (candidates.length === 0) return;
    world.state.orders += 1;
    const order = `SO-${String(world.state.orders).padStart(5, "0")}`;
    await world.save();
    const lines = countByGtin(candidates);
    const hold = (reasons: string[]) =>
      this.keepHeld({ order, customer: customer.id, lines, at: new Date().toISOString(), reasons });
    if (this.desk) {
      const today = new Date().toISOString().slice(0, 10);
      const decision = await this.desk.place({
        number: order,
        customer: customer.id,
        lines,
        date: today,
      });
      if (!SalesDesk.shippable(decision)) {
        await hold(decision.reasons);
        say(`sales: ${order} (${customer.name}) ${decision.state}: ${decision.reasons.join("; ")}`);
        return;
      }
      say(`sales: ${order} (${customer.name}) ${decision.state}, ${describe(lines)}`);
    }
    if (!(await this.pickAndShip(order, customer.id, candidates, signal))) await hold([]);
  }

  /**
   * The oldest held order the gateway now lets go (a payment released it),
   * taken off the held list; cancelled ones are dropped on the way.
   */
  private async releasedOrder(): Promise<HeldOrder | undefined> {
    const { world, say } = this.options;
    const { desk } = this;
    const held = world.state.held ?? [];
    if (!desk || held.length === 0) return undefined;
    for (const waiting of held.slice(0, RETRIES_PER_STEP)) {
      const decision = await desk.state(waiting.order);
      if (decision.state === "held") continue;
      world.state.held = held.filter((item) => item.order !== waiting.order);
      await world.save();
      if (SalesDesk.shippable(decision)) {
        say(`sales: ${waiting.order} ${decision.state}: it goes to the dock`);
        return waiting;
      }
      say(`sales: ${waiting.order} is ${decision.state}: nothing to ship`);
    }
    return undefined;
  }

  private async keepHeld(order: HeldOrder): Promise<void> {
    const { world, say } = this.options;
    const held = [...(world.state.held ?? []), order];
    // A customer does not wait for ever: the oldest held order is withdrawn.
    while (held.length > MAX_HELD) {
      const oldest = held.shift() as HeldOrder;
      await this.options.sales
        ?.post(`/orders/${encodeURIComponent(oldest.order)}/cancel`, {
          reason: "the customer withdrew the order while it was held",
        })
        .catch(() => {});
      say(`sales: ${oldest.order} withdrawn by the customer after waiting on its hold`);
    }
    world.state.held = held;
    await world.save();
  }

  /** Shelved items for an order's lines (GTIN → quantity), as many as the shelves still hold. */
  private itemsFor(lines: Record<string, number>): ShelvedItem[] {
    const shelved = this.options.world.shelvedItems();
    return Object.entries(lines).flatMap(([gtin, quantity]) =>
      shelved.filter((item) => item.gtin === gtin).slice(0, quantity),
    );
  }

  /**
   * Assigns the dock door to the order, picks its items and sends them
   * through the door; false when the dock refused the order (its node has
   * not heard of the release yet, or it is held again): nothing was picked.
   */
  private async pickAndShip(
    order: string,
    customer: string,
    items: ShelvedItem[],
    signal: AbortSignal,
  ): Promise<boolean> {
    const { world, say, portal } = this.options;
    const name = DEMO_CUSTOMERS.find((c) => c.id === customer)?.name ?? customer;
    if (items.length === 0) {
      say(`shelf: nothing left on the shelves for ${order} (${name})`);
      return true;
    }
    try {
      await portal.put("/api/v1/dock/order", { order, customer });
    } catch (error) {
      if (!(error instanceof ApiCallError) || error.status !== 422) throw error;
      say(`dock door: ${order} refused (${error.message}); it waits`);
      return false;
    }
    for (const item of items) world.takeFromShelf(item.epc);
    await world.save();
    say(`shelf: picked ${items.length} items for ${order} (${name})`);
    if (!(await pause(this.options.settleMs, signal))) return true;
    const epcs = items.map((item) => item.epc);
    if (!(await this.crossDoor(epcs, "out", signal))) return true;
    const lines = countByGtin(items);
    world.state.shipments.push({
      order,
      customer,
      lines,
      at: new Date().toISOString(),
      invoiced: false,
    });
    // Keep the last few hundred: what accounting still has to invoice is recent.
    world.state.shipments = world.state.shipments.slice(-300);
    await world.save();
    say(`dock door: shipped ${order} to ${name} (${describe(lines)})`);
    return true;
  }

  /** Items to pick: mostly of one or two products, as orders are. */
  private pickList(count: number): ShelvedItem[] {
    const shelved = this.options.world.shelvedItems();
    if (shelved.length === 0) return [];
    const wanted = new Set([
      this.options.dice.pick(shelved).gtin,
      this.options.dice.pick(shelved).gtin,
    ]);
    return shelved.filter((item) => wanted.has(item.gtin)).slice(0, count);
  }

  /** Shows the tags to one side of the door then the other, and waits until the node has decided. */
  private async crossDoor(
    epcs: string[],
    way: "in" | "out",
    signal: AbortSignal,
  ): Promise<boolean> {
    const { portal: field } = this.options.world;
    const [first, second] = way === "in" ? [1, 2] : [2, 1];
    for (const epc of epcs) field.show(epc, { antennas: [first], rssi: -58, periodMs: 150 });
    if (!(await pause(CROSSING_MS, signal))) return false;
    for (const epc of epcs) field.show(epc, { antennas: [second], rssi: -52, periodMs: 150 });
    if (!(await pause(CROSSING_MS, signal))) return false;
    for (const epc of epcs) field.hide(epc);
    return pause(this.options.settleMs, signal);
  }
}

function countByGtin(items: readonly { gtin: string }[]): Record<string, number> {
  const lines: Record<string, number> = {};
  for (const item of items) lines[item.gtin] = (lines[item.gtin] ?? 0) + 1;
  return lines;
}

function describe(lines: Record<string, number>): string {
  return Object.entries(lines)
    .map(([gtin, count]) => {
      const product: DemoProduct | undefined = DEMO_PRODUCTS.find((p) => p.gtin === gtin);
      return `${count} × ${product?.name ?? gtin}`;
    })
    .join(", ");
}
