import { z } from "zod";
import { DEMO_CURRENCY, DEMO_PRODUCTS } from "./demo-data.js";
import { ApiCallError, type JsonApi } from "./http-client.js";

/**
 * An order the ERP's sales module placed and the gateway held: the warehouse
 * keeps it aside (nothing picked) and asks again later. A payment the
 * accounting flow books, or nothing, decides whether it ever goes.
 */
export const HeldOrderSchema = z.strictObject({
  order: z.string(),
  customer: z.string(),
  /** GTIN → quantity, as ordered. */
  lines: z.record(z.string(), z.number().int().min(1)),
  at: z.string(),
  /** The hold's reasons as the gateway said them when it was placed. */
  reasons: z.array(z.string()),
});
export type HeldOrder = z.infer<typeof HeldOrderSchema>;

/** What the gateway decided for an order, read from its answer. */
export interface OrderDecision {
  state: string;
  reasons: string[];
}

const OrderAnswerSchema = z.looseObject({
  state: z.string(),
  credit: z
    .looseObject({ reasons: z.array(z.looseObject({ message: z.string() })).optional() })
    .optional(),
});

/** States whose goods may go to the dock door (the dock refuses only held and cancelled ones). */
const SHIPPABLE = new Set(["approved", "released", "partially-shipped"]);

/**
 * The ERP's sales module of a simulated site: places each dock order with
 * the gateway (`POST /orders`, lines by GTIN at the catalog's prices)
 * before the warehouse picks it, and asks for a held order's state again.
 */
export class SalesDesk {
  constructor(private readonly gateway: JsonApi) {}

  async place(order: {
    number: string;
    customer: string;
    lines: Record<string, number>;
    date: string;
  }): Promise<OrderDecision> {
    const body = {
      number: order.number,
      customer: order.customer,
      orderDate: order.date,
      requestedShipDate: order.date,
      currency: DEMO_CURRENCY,
      lines: Object.entries(order.lines).map(([gtin, quantity]) => ({
        gtin,
        quantity,
        unitPrice: DEMO_PRODUCTS.find((p) => p.gtin === gtin)?.unitPrice ?? 0,
      })),
    };
    try {
      return decisionOf(await this.gateway.post("/orders", body));
    } catch (error) {
      // Placed before and saved as held by a run that stopped: its state is what counts.
      if (error instanceof ApiCallError && error.status === 409) return this.state(order.number);
      throw error;
    }
  }

  async state(number: string): Promise<OrderDecision> {
    return decisionOf(await this.gateway.get(`/orders/${encodeURIComponent(number)}`));
  }

  static shippable(decision: OrderDecision): boolean {
    return SHIPPABLE.has(decision.state);
  }
}

function decisionOf(answer: unknown): OrderDecision {
  const parsed = OrderAnswerSchema.parse(answer);
  return {
    state: parsed.state,
    reasons: parsed.state === "held" ? (parsed.credit?.reasons ?? []).map((r) => r.message) : [],
  };
}
