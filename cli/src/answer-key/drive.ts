import { setTimeout as sleep } from "node:timers/promises";
import type { JsonApi } from "@comptoir/simulators";
import {
  KEY_CURRENCY,
  KEY_CUSTOMERS,
  KEY_PRODUCTS,
  type KeyCustomer,
  LIMITED_CUSTOMER,
  PREPAYING_CUSTOMER,
} from "./catalog.js";
import type { PlannedDay, PlannedItem, PlannedOrderLine, SitePlan } from "./plan.js";
import type { RunningSite } from "./site.js";

/** How long a tag is shown to one side of the dock door. */
const CROSSING_MS = 400;
/** How long one physical step may take before the run gives up. */
const STEP_TIMEOUT_MS = 60_000;

/**
 * Makes a plan happen: staff move tags in front of the simulated readers
 * (the nodes decide the movements), and the accounting software posts
 * invoices, payments and adjustments to the gateway's API. Each physical
 * step waits until the node concerned has recorded it, as a person at the
 * door waits for the light.
 */
export async function driveSite(
  site: RunningSite,
  plan: SitePlan,
  say: (line: string) => void = () => {},
): Promise<void> {
  await createCatalog(site.api);
  for (const day of plan.days) {
    await receive(site, day);
    await putAway(site, day.delivery.items);
    await pick(site, [...day.orders.flatMap((order) => order.shipped), ...day.vanished]);
    for (const order of day.orders) {
      await placeOrder(site.api, day.date, order);
      await ship(site, order.order, order.customer, order.shipped);
    }
    for (const order of day.creditOrders) await placeOrder(site.api, day.date, order);
    await account(site.api, day);
    say(
      `${day.date}: received ${day.delivery.items.length}, shipped ${day.orders.length} orders, ${day.payments.length} payments`,
    );
  }
}

async function createCatalog(api: JsonApi): Promise<void> {
  for (const product of KEY_PRODUCTS) {
    await api.post("/products", {
      sku: product.sku,
      gtin: product.gtin,
      gtins: product.gtins,
      name: product.name,
      unitPrice: { amount: product.unitPrice, currency: KEY_CURRENCY },
      unitCost: { amount: product.unitCost, currency: KEY_CURRENCY },
    });
  }
  for (const customer of [...KEY_CUSTOMERS, PREPAYING_CUSTOMER] as KeyCustomer[]) {
    await api.post("/customers", {
      id: customer.id,
      name: customer.name,
      creditLimit: "unlimited",
      paymentTermsDays: customer.paymentTermsDays,
    });
  }
  await api.post("/customers", {
    id: LIMITED_CUSTOMER.id,
    name: LIMITED_CUSTOMER.name,
    creditLimit: { amount: LIMITED_CUSTOMER.creditLimit, currency: KEY_CURRENCY },
    paymentTermsDays: LIMITED_CUSTOMER.paymentTermsDays,
  });
}

/**
 * The ERP's sales module places the order with the gateway, dated the plan's
 * day, before anything is picked. What the gateway decided is for the key
 * to judge (compare.ts): an approved order ships either way, as the plan says.
 */
async function placeOrder(
  api: JsonApi,
  date: string,
  order: { order: string; customer: string; lines: PlannedOrderLine[] },
): Promise<void> {
  await api.post("/orders", {
    number: order.order,
    customer: order.customer,
    orderDate: date,
    requestedShipDate: date,
    currency: KEY_CURRENCY,
    lines: order.lines,
  });
}

/** The delivery walks in through the door under its purchase order: outside antenna, then inside. */
async function receive(site: RunningSite, day: PlannedDay): Promise<void> {
  const { po, items } = day.delivery;
  await site.nodes["dock-1"].put("/api/v1/dock/order", { order: po, customer: null });
  await crossDoor(site, items, "in");
  await until(site.nodes["dock-1"], items, (zone) => zone === "dock", `${po} received`);
}

async function putAway(site: RunningSite, items: PlannedItem[]): Promise<void> {
  const bays = { "bay-1": 1, "bay-2": 2 } as Record<string, number>;
  for (const item of items) {
    site.fields["shelf-1"].show(item.epc, {
      antennas: [bays[item.bay] ?? 1],
      rssi: -62,
      periodMs: 400,
    });
  }
  await until(site.nodes["shelf-1"], items, (zone, item) => zone === item.bay, "put away");
}

/** Items taken off the shelves: the shelf node records them picked. */
async function pick(site: RunningSite, items: PlannedItem[]): Promise<void> {
  for (const item of items) site.fields["shelf-1"].hide(item.epc);
  await until(site.nodes["shelf-1"], items, (zone) => zone === "picked", "picked");
}

async function ship(
  site: RunningSite,
  order: string,
  customer: string,
  items: PlannedItem[],
): Promise<void> {
  await site.nodes["dock-1"].put("/api/v1/dock/order", { order, customer });
  await knownAtDock(site, order);
  await crossDoor(site, items, "out");
  await until(site.nodes["dock-1"], items, (zone) => zone === null, `${order} shipped`);
}

/**
 * Waits until the dock node has the order's state from the gateway, as the
 * door's light would say: goods leaving under an order the node never heard
 * of raise an alert (the site's default policy), which this plan never means.
 */
async function knownAtDock(site: RunningSite, order: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const view = await site.nodes["dock-1"].get<{
      order: string | null;
      state?: { state: string } | null;
    }>("/api/v1/dock/order");
    if (view.order === order && view.state?.state !== "unknown") return;
    if (Date.now() > deadline) {
      const { state } = await site.api.get<{ state: string }>(`/orders/${order}`);
      throw new Error(
        `${order}: the dock node never received its state from the gateway (the gateway says ${state}; the node's dock: ${JSON.stringify(view)})`,
      );
    }
    await sleep(100);
  }
}

async function crossDoor(site: RunningSite, items: PlannedItem[], way: "in" | "out") {
  const field = site.fields["dock-1"];
  const [first, second] = way === "in" ? [1, 2] : [2, 1];
  for (const item of items) field.show(item.epc, { antennas: [first], rssi: -58, periodMs: 100 });
  await sleep(CROSSING_MS);
  for (const item of items) field.show(item.epc, { antennas: [second], rssi: -52, periodMs: 100 });
  await sleep(CROSSING_MS);
  for (const item of items) field.hide(item.epc);
}

/** Waits until the node places every item where `placed` wants it. */
async function until(
  node: JsonApi,
  items: PlannedItem[],
  placed: (zone: string | null, item: PlannedItem) => boolean,
  what: string,
): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let waiting = items;
  while (waiting.length > 0) {
    const still: { item: PlannedItem; zone: string | null | undefined }[] = [];
    for (const item of waiting) {
      const tag = await node.get<{ place: { zone: string | null } | null }>(
        `/api/v1/tags/${item.epc}`,
      );
      if (!tag.place || !placed(tag.place.zone, item)) still.push({ item, zone: tag.place?.zone });
    }
    waiting = still.map(({ item }) => item);
    if (waiting.length === 0) return;
    if (Date.now() > deadline) {
      const some = still
        .slice(0, 3)
        .map(({ item, zone }) => `${item.epc} (${item.bay}) is at ${zone ?? "no place"}`);
      throw new Error(
        `${what}: ${waiting.length} items not recorded by ${node.base} in time: ${some.join(", ")}`,
      );
    }
    await sleep(200);
  }
}

/** The accounting software's day: invoices for what it knows of, the bank's payments, count corrections. */
async function account(api: JsonApi, day: PlannedDay): Promise<void> {
  if (day.delivery.invoice) await api.post("/invoices", day.delivery.invoice);
  for (const order of day.orders) if (order.invoice) await api.post("/invoices", order.invoice);
  for (const invoice of day.unshippedInvoices) await api.post("/invoices", invoice);
  for (const payment of day.payments) await api.post("/payments", payment);
  for (const adjustment of day.adjustments) await api.post("/stock/adjustments", adjustment);
}
