import { DEMO_CUSTOMERS, DEMO_PRODUCTS, type DemoProduct } from "./demo-data.js";
import type { JsonApi } from "./http-client.js";
import { type Dice, pause } from "./pace.js";
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
  /** Shelf occupancy the flow keeps between. */
  minShelved?: number;
  maxShelved?: number;
}

/** How long a tag takes to cross one side of the dock door. */
const CROSSING_MS = 1200;

/**
 * The warehouse staff of a simulated site, one step at a time: a delivery
 * through the dock door and put away on the shelves, or an order picked
 * from the shelves and shipped through the door to a customer. Steps run
 * one after another (one dock door).
 */
export class WarehouseFlow {
  constructor(private readonly options: WarehouseFlowOptions) {}

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

  /** An order is picked from the shelves and leaves through the door, assigned to its customer. */
  async ship(signal: AbortSignal): Promise<void> {
    const { world, dice, say, portal } = this.options;
    const customer = dice.pick(DEMO_CUSTOMERS.filter((c) => c.creditLimit !== 0));
    const items = this.pickList(dice.int(2, 6));
    if (items.length === 0) return;
    world.state.orders += 1;
    const order = `SO-${String(world.state.orders).padStart(5, "0")}`;
    for (const item of items) world.takeFromShelf(item.epc);
    await world.save();
    say(`shelf: picked ${items.length} items for ${order} (${customer.name})`);
    if (!(await pause(this.options.settleMs, signal))) return;
    await portal.put("/api/v1/dock/order", { order, customer: customer.id });
    const epcs = items.map((item) => item.epc);
    if (!(await this.crossDoor(epcs, "out", signal))) return;
    const lines: Record<string, number> = {};
    for (const item of items) lines[item.gtin] = (lines[item.gtin] ?? 0) + 1;
    world.state.shipments.push({
      order,
      customer: customer.id,
      lines,
      at: new Date().toISOString(),
      invoiced: false,
    });
    // Keep the last few hundred: what accounting still has to invoice is recent.
    world.state.shipments = world.state.shipments.slice(-300);
    await world.save();
    say(`dock door: shipped ${order} to ${customer.name} (${describe(lines)})`);
  }

  /** Items to pick: mostly of one or two products, as orders are. */
  private pickList(count: number): { epc: string; gtin: string }[] {
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

function describe(lines: Record<string, number>): string {
  return Object.entries(lines)
    .map(([gtin, count]) => {
      const product: DemoProduct | undefined = DEMO_PRODUCTS.find((p) => p.gtin === gtin);
      return `${count} × ${product?.name ?? gtin}`;
    })
    .join(", ");
}
