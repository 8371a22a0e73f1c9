import {
  type CreditReason,
  type DockOrderState,
  dockRefuses,
  type HoldBreachData,
  HoldBreachDataSchema,
  type MovementData,
  type OrderStateMessage,
} from "@comptoir/contracts";
import type { DockConfig } from "@comptoir/firmware-config";
import type { OrderCache } from "./cache.js";

/** Assigning this order to the dock was refused: held or cancelled, or unknown under "refuse". */
export class DockRefusal extends Error {
  constructor(
    readonly code: "order_held" | "order_unknown",
    message: string,
    readonly reasons: CreditReason[],
  ) {
    super(message);
    this.name = "DockRefusal";
  }
}

/**
 * The dock door's order rules (issue 15), from the cached order states only,
 * so they hold offline: a held or cancelled order may not be assigned; an
 * order never heard of follows `dock.unknownOrders`; goods leaving under an
 * order the dock may not ship raise one alert per order per assignment.
 */
export class DockRules {
  constructor(
    private readonly cache: OrderCache,
    private readonly config: DockConfig,
  ) {}

  current(): { order: string | null; customer: string | null } {
    const { order, customer } = this.cache.assignment();
    return { order, customer };
  }

  /** What the node knows of an order; null when no order is given. */
  stateOf(order: string | null): DockOrderState | null {
    return order === null ? null : stateView(this.cache.get(order));
  }

  /**
   * Assigns the dock (or clears it with `order: null`, always allowed); throws
   * DockRefusal when the order may not go. A known order's customer fills an
   * empty one.
   */
  assign(input: { order: string | null; customer: string | null }): {
    order: string | null;
    customer: string | null;
  } {
    const { order } = input;
    if (order === null) return this.commit(null, null);
    const known = this.cache.get(order);
    const refusal = dockRefusal(order, known, this.config.unknownOrders);
    if (refusal) throw refusal;
    return this.commit(order, input.customer ?? known?.customer ?? null);
  }

  /** A newer state for an order; true when it is the dock's current order (the page shows it). */
  put(state: OrderStateMessage): boolean {
    return this.cache.put(state) && state.order === this.cache.assignment().order;
  }

  /**
   * A movement the node recorded: for goods leaving under an order the dock
   * may not ship, the `hold-breach` entry's data the first time this order's
   * goods leave in this assignment; undefined otherwise (and for a released
   * or shipping order: nothing more happens).
   */
  breach(movement: MovementData, offline: boolean, at: string): HoldBreachData | undefined {
    const order = movement.order;
    if (movement.kind !== "ship" || order === undefined) return undefined;
    const known = this.cache.get(order);
    let state: HoldBreachData["state"];
    if (!known) state = "unknown";
    else if (dockRefuses(known.state)) state = known.state;
    else return undefined;
    // Unknown orders only got to the dock because the policy let them: say so when they leave.
    if (state === "unknown" && this.config.unknownOrders !== "allow-with-alert") return undefined;
    if (!this.cache.markAlerted(order)) return undefined;
    return HoldBreachDataSchema.parse({
      order,
      customer: known?.customer ?? movement.customer ?? null,
      state,
      reasons: known?.reasons ?? [],
      epc: movement.epc,
      version: known?.version ?? 0,
      offline,
      at,
    });
  }

  private commit(order: string | null, customer: string | null) {
    const { order: o, customer: c } = this.cache.assign(order, customer);
    return { order: o, customer: c };
  }
}

/** What a page shows of an order's state: its cached state, or "unknown". */
export function stateView(known: OrderStateMessage | undefined): DockOrderState {
  if (!known)
    return {
      state: "unknown",
      customer: null,
      customerName: null,
      reasons: [],
      version: 0,
      asOf: null,
    };
  return {
    state: known.state,
    customer: known.customer,
    customerName: known.customerName,
    reasons: known.reasons,
    version: known.version,
    asOf: known.asOf,
  };
}

/** Why `order` may not be assigned to the dock, from its cached state; undefined when it may. */
export function dockRefusal(
  order: string,
  known: OrderStateMessage | undefined,
  unknownOrders: DockConfig["unknownOrders"],
): DockRefusal | undefined {
  if (known && dockRefuses(known.state))
    return new DockRefusal("order_held", refusedMessage(known), known.reasons);
  if (!known && unknownOrders === "refuse")
    return new DockRefusal(
      "order_unknown",
      `order ${order} is unknown to this node: no state received from the gateway yet, and this dock refuses unknown orders (dock.unknownOrders) — check the order number, or wait until the node is connected`,
      [],
    );
  return undefined;
}

function refusedMessage(state: OrderStateMessage): string {
  const who = state.customerName || state.customer;
  if (state.state === "cancelled")
    return `order ${state.order} (${who}) is cancelled: its goods may not go to the dock`;
  const why = state.reasons.map((reason) => reason.message).join("; ");
  return `order ${state.order} (${who}) is held for credit${why ? `: ${why}` : ""} — it may go to the dock once released`;
}

/** The banner's text: "goods left under credit hold: SO-… (customer) — reasons". */
export function breachMessage(breach: HoldBreachData, customerName: string | null): string {
  const who = customerName || breach.customer;
  const what =
    breach.state === "unknown"
      ? "order unknown to this node"
      : breach.state === "cancelled"
        ? "order cancelled"
        : breach.reasons.map((reason) => reason.message).join("; ") || "order held";
  return `goods left under credit hold: ${breach.order}${who ? ` (${who})` : ""} — ${what}`;
}
