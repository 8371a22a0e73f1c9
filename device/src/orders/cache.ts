import { join } from "node:path";
import {
  type Clock,
  type Logger,
  type OrderState,
  type OrderStateMessage,
  OrderStateMessageSchema,
  silentLogger,
  systemClock,
} from "@comptoir/contracts";
import { z } from "zod";
import { CoalescedWrites } from "../stock/coalesced-writes.js";
import { DurableJsonFile } from "../stock/durable-json-file.js";

/** States after which an order's goods have gone (or never will): forgotten once old. */
const FINISHED: readonly OrderState[] = ["shipped", "invoiced", "cancelled"];
const DAY_MS = 24 * 60 * 60 * 1000;
/** How often a running node looks for finished orders past the keep time. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** The dock's assignment, kept with the states so a restart does not forget the door's order. */
const DockAssignmentSchema = z.object({
  order: z.string().nullable(),
  customer: z.string().nullable(),
  /** Grows with every assignment: a hold-breach is raised once per order per assignment. */
  assignment: z.number().int().min(0),
  /** Orders of this assignment whose goods already raised "goods left under credit hold". */
  alerted: z.array(z.string()),
});
export type DockAssignment = z.infer<typeof DockAssignmentSchema>;

const FileSchema = z.object({
  orders: z.array(OrderStateMessageSchema),
  dock: DockAssignmentSchema,
});
type OrdersFile = z.infer<typeof FileSchema>;

export interface OrderCacheOptions {
  logger?: Logger;
  clock?: Clock;
  /** Shipped, invoiced and cancelled orders are forgotten this long after their last state (30 days). */
  keepFinishedDays?: number;
  /** At most this many orders; past it the oldest states go first (20 000). */
  maxOrders?: number;
}

/**
 * The orders' states the gateway published (retained `orders/<order>`), as
 * the node last received them, and the dock's current assignment: what the
 * dock decides from, online or not. Kept in `orders.json` (tmp → fsync →
 * rename) so that a node restarted while cut off still refuses a held order.
 * Only the highest version of each order is kept; finished orders are
 * dropped after some days so the file stays small.
 */
export class OrderCache {
  private readonly states = new Map<string, OrderStateMessage>();
  private dock: DockAssignment;
  private readonly writes: CoalescedWrites<OrdersFile>;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly keepMs: number;
  private readonly maxOrders: number;
  /** When prune() last looked at every order: a state's put does not (retained states come by the thousand). */
  private sweptAt = Number.NEGATIVE_INFINITY;
  /** asOfMs()'s memo, gone with the state it parsed. */
  private readonly parsedAsOf = new WeakMap<OrderStateMessage, number>();

  private constructor(
    file: DurableJsonFile<unknown>,
    data: OrdersFile,
    options: OrderCacheOptions,
  ) {
    this.writes = new CoalescedWrites(
      file,
      (): OrdersFile => ({ orders: [...this.states.values()], dock: this.assignment() }),
      (error) =>
        // The retained states come back on the next connect; only the dock's assignment is lost.
        this.log.error({ err: error }, "could not write the order states"),
    );
    this.log = (options.logger ?? silentLogger).child({ module: "orders:cache" });
    this.clock = options.clock ?? systemClock;
    this.keepMs = (options.keepFinishedDays ?? 30) * DAY_MS;
    this.maxOrders = options.maxOrders ?? 20_000;
    for (const state of data.orders) this.states.set(state.order, state);
    this.dock = data.dock;
  }

  static async open(dataDir: string, options: OrderCacheOptions = {}): Promise<OrderCache> {
    const path = join(dataDir, "orders.json");
    const file = new DurableJsonFile<unknown>(path);
    const raw = await file.read();
    const parsed = FileSchema.safeParse(raw);
    if (raw !== null && !parsed.success)
      (options.logger ?? silentLogger).warn(
        { file: path, module: "orders:cache" },
        "order states unreadable; starting without them until the gateway sends them again",
      );
    const data: OrdersFile = parsed.success
      ? parsed.data
      : { orders: [], dock: { order: null, customer: null, assignment: 0, alerted: [] } };
    const cache = new OrderCache(file, data, options);
    if (cache.prune()) cache.writes.schedule();
    return cache;
  }

  get(order: string): OrderStateMessage | undefined {
    return this.states.get(order);
  }

  get size(): number {
    return this.states.size;
  }

  /** A validated state from the broker. Returns false when it is not newer than the one held. */
  put(state: OrderStateMessage): boolean {
    const held = this.states.get(state.order);
    if (held && state.version <= held.version) {
      if (state.version < held.version)
        this.log.info(
          { order: state.order, held: held.version, got: state.version },
          "older order state ignored",
        );
      return false;
    }
    if (this.expired(state)) {
      // Already past the keep time: not worth holding (nor a sweep) until the next one.
      if (held) this.states.delete(state.order);
    } else this.states.set(state.order, state);
    if (
      this.states.size > this.maxOrders ||
      this.clock.now().getTime() - this.sweptAt >= SWEEP_EVERY_MS
    )
      this.prune();
    this.writes.schedule();
    return true;
  }

  assignment(): DockAssignment {
    return { ...this.dock, alerted: [...this.dock.alerted] };
  }

  /** A new dock assignment (or clearing): nothing of it has raised an alert yet. */
  assign(order: string | null, customer: string | null): DockAssignment {
    this.dock = { order, customer, assignment: this.dock.assignment + 1, alerted: [] };
    this.writes.schedule();
    return this.assignment();
  }

  /** Marks an order as alerted for the current assignment; false when it already was. */
  markAlerted(order: string): boolean {
    if (this.dock.alerted.includes(order)) return false;
    this.dock.alerted.push(order);
    this.writes.schedule();
    return true;
  }

  /** Waits for the last scheduled write. */
  flush(): Promise<void> {
    return this.writes.flush();
  }

  /** Drops finished orders past the keep time, then the oldest past the size cap; true if any went. */
  private prune(): boolean {
    const before = this.states.size;
    this.sweptAt = this.clock.now().getTime();
    for (const [order, state] of this.states) if (this.expired(state)) this.states.delete(order);
    // A put goes one over the cap at most: one pass finds the oldest, where a sort would order them all.
    while (this.states.size > this.maxOrders && this.evictOldest());
    return this.states.size !== before;
  }

  /** Drops the order with the oldest state, never the dock's; false when there was none to drop. */
  private evictOldest(): boolean {
    let oldest: string | undefined;
    let oldestAt = Number.POSITIVE_INFINITY;
    for (const state of this.states.values()) {
      if (state.order === this.dock.order) continue;
      const at = this.asOfMs(state);
      if (oldest === undefined || at < oldestAt) {
        oldest = state.order;
        oldestAt = at;
      }
    }
    return oldest !== undefined && this.states.delete(oldest);
  }

  /** A finished order past the keep time, and not the dock's (its state stays shown). */
  private expired(state: OrderStateMessage): boolean {
    return (
      FINISHED.includes(state.state) &&
      state.order !== this.dock.order &&
      this.asOfMs(state) < this.clock.now().getTime() - this.keepMs
    );
  }

  /** A state's `asOf` in ms, parsed once: Date.parse is slow, and eviction compares every state. */
  private asOfMs(state: OrderStateMessage): number {
    let ms = this.parsedAsOf.get(state);
    if (ms === undefined) {
      ms = Date.parse(state.asOf);
      this.parsedAsOf.set(state, ms);
    }
    return ms;
  }
}
