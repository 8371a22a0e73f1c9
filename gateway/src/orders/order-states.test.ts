import {
  LiveOrderChangeSchema,
  OrderSchema,
  type OrderStateMessage,
  OrderStateMessageSchema,
} from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { reconciliationPerTest } from "../testing/gateway-app.js";
import { OrderService } from "./service.js";

const T0 = "2026-03-05T09:00:00.000Z";
const site = reconciliationPerTest(T0);

/** A gateway whose order states go to `sent` instead of a broker. */
async function setup() {
  const s = await site();
  await s.product("SKU-1", 100);
  await s.customer("C1", "Client C1", { limit: 10_000 });
  const sent: OrderStateMessage[] = [];
  const orders = new OrderService({
    store: s.store,
    ledger: s.ledger,
    credit: s.credit,
    clock: s.clock,
    events: s.events,
    publisher: { publish: async (message) => void sent.push(message) },
  });
  return { s, orders, sent };
}

const input = (number: string, units: number) => ({
  number,
  customer: "C1",
  requestedShipDate: "2026-03-10",
  lines: [{ sku: "SKU-1", quantity: units, unitPrice: 100 }],
});
const ACTOR = { kind: "token" as const, id: "erp" };
/** Order states are sent once the change's request is answered: after the current turn. */
const answered = () => new Promise((resolve) => setImmediate(resolve));

describe("sales orders: what the nodes and the live feed are told", () => {
  it("publishes each state change with a growing version and the hold's reasons, in the contracts' shapes", async () => {
    const { s, orders, sent } = await setup();
    const [approved] = orders.place([input("SO-1", 50)], ACTOR);
    const [held] = orders.place([input("SO-2", 80)], ACTOR);
    expect(OrderSchema.safeParse(approved).success).toBe(true);
    expect(OrderSchema.safeParse(held).success).toBe(true);
    orders.release("SO-2", "known customer, pays late", ACTOR);
    orders.cancel("SO-1", "duplicate", ACTOR);
    expect(sent).toEqual([]);
    await answered();
    for (const message of sent)
      expect(OrderStateMessageSchema.safeParse(message).success).toBe(true);
    expect(
      sent.map(({ order, state, version, reasons }) => ({
        order,
        state,
        version,
        reasons: reasons.map((r) => r.code),
      })),
    ).toEqual([
      { order: "SO-1", state: "approved", version: 1, reasons: [] },
      { order: "SO-2", state: "held", version: 1, reasons: ["over-limit"] },
      { order: "SO-2", state: "released", version: 2, reasons: [] },
      { order: "SO-1", state: "cancelled", version: 2, reasons: [] },
    ]);
    expect(sent[1]?.customerName).toBe("Client C1");
    const live = s.live.flatMap((event) => (event.type === "order" ? [event.data] : []));
    for (const change of live) expect(LiveOrderChangeSchema.safeParse(change).success).toBe(true);
    expect(live.map(({ order, state, previous }) => [order, state, previous])).toEqual([
      ["SO-1", "approved", null],
      ["SO-2", "held", null],
      ["SO-2", "released", "held"],
      ["SO-1", "cancelled", "approved"],
    ]);
  });

  it("at start, republishes every order the dock may still meet, not the finished ones", async () => {
    const { orders, sent } = await setup();
    orders.place([input("SO-1", 10), input("SO-2", 500), input("SO-3", 10)], ACTOR);
    orders.cancel("SO-3", undefined, ACTOR);
    await answered();
    sent.splice(0);
    await orders.publishAll();
    expect(sent.map(({ order, state }) => [order, state])).toEqual([
      ["SO-1", "approved"],
      ["SO-2", "held"],
    ]);
  });

  it("on the first start with orders, shipments already stored are history: no alert for them", async () => {
    const { s } = await setup();
    const dock = s.node("dock-1");
    dock.move("ship", "SKU-1", 2, "2026-03-01T08:00:00.000Z", { order: "PO-OLD", customer: "C1" });
    dock.sync();
    const upgraded = new OrderService({
      store: s.store,
      ledger: s.ledger,
      credit: s.credit,
      clock: s.clock,
    });
    expect(upgraded.afterIngest("dock-1")).toEqual([]);
    dock.move("ship", "SKU-1", 1, "2026-03-06T08:00:00.000Z", { order: "PO-NEW", customer: "C1" });
    dock.sync();
    expect(upgraded.afterIngest("dock-1")).toMatchObject([{ order: "PO-NEW", state: "unknown" }]);
  });
});
