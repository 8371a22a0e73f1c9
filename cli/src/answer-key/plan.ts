import type { InvoiceInput, PaymentInput } from "@comptoir/contracts";
import { Dice, sgtin96 } from "@comptoir/simulators";
import {
  KEY_CURRENCY,
  KEY_CUSTOMERS,
  KEY_PRODUCTS,
  KEY_SUPPLIER,
  type KeyProduct,
  LIMITED_CUSTOMER,
  PREPAYING_CUSTOMER,
  UNKNOWN_GTIN,
} from "./catalog.js";
import { invoice, invoiceLine } from "./documents.js";
import { faultsOf, type InjectedFault, type KeyFault } from "./faults.js";
import { dearPrice, supplierPrice } from "./prices.js";

export { FAULT_MEANING, type InjectedFault, KEY_FAULTS, type KeyFault } from "./faults.js";

/**
 * What a simulated site does over its days, decided in advance from a seed:
 * deliveries through the dock door and put away on the shelves, orders
 * picked and shipped, the invoices and payments of its accounting, and the
 * mistakes made on purpose. The plan is the simulator's ground truth: the
 * driver makes it happen through real readers and the gateway's API, and
 * the answer key is worked out from it alone (key.ts), never from the
 * gateway's code.
 *
 * Every SGTIN tag in the plan is unregistered at the nodes, as on a real
 * site: their products must be found from their GTINs.
 */

export interface PlannedItem {
  epc: string;
  /** null: not an SGTIN. */
  gtin: string | null;
  /** The product the catalog has for its GTIN; null for an unknown GTIN or a plain tag. */
  sku: string | null;
  /** Where it is put away. */
  bay: string;
}

/** A line of a sales order as the ERP places it (`POST /orders`). */
export interface PlannedOrderLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

export interface PlannedOrder {
  order: string;
  customer: string;
  /** What the ERP's sales module ordered, placed with the gateway before anything is picked. */
  lines: PlannedOrderLine[];
  /** The items that physically leave through the dock door. */
  shipped: PlannedItem[];
  /** null: never invoiced. */
  invoice: InvoiceInput | null;
}

export interface PlannedDay {
  date: string;
  /** `invoice` null: the supplier's invoice arrives after the run (never posted). */
  delivery: { po: string; items: PlannedItem[]; invoice: InvoiceInput | null };
  /** Items taken from the shelves and never seen again. */
  vanished: PlannedItem[];
  orders: PlannedOrder[];
  /** Customer invoices for orders that never ship. */
  unshippedInvoices: InvoiceInput[];
  /**
   * Sales orders of the customer with a limit, placed after the day's
   * shipments and before its payments, never shipped: the gateway decides
   * each (held when over the limit) and the day's payments may release them.
   */
  creditOrders: { order: string; customer: string; lines: PlannedOrderLine[] }[];
  payments: PaymentInput[];
  adjustments: { sku: string; delta: number; reason: string }[];
}

export interface SitePlan {
  seed: number;
  start: string;
  end: string;
  days: PlannedDay[];
  faults: InjectedFault[];
}

export interface PlanOptions {
  seed?: number;
  /** Simulated days, at least 2; the last one is `end`. */
  days?: number;
  /** The last day, YYYY-MM-DD (default: today, UTC). */
  end?: string;
  /** Items delivered a day (before faults). */
  itemsPerDay?: number;
}

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The plan of a site: deterministic for a seed and options. */
export function planSite(options: PlanOptions = {}): SitePlan {
  const seed = options.seed ?? 1;
  const dayCount = Math.max(2, options.days ?? 2);
  const end = options.end ?? new Date().toISOString().slice(0, 10);
  const start = addDays(end, -(dayCount - 1));
  const planner = new Planner(seed, new Dice(seed), options.itemsPerDay ?? 12);
  const days: PlannedDay[] = [];
  for (let index = 0; index < dayCount; index++) {
    days.push(planner.day(addDays(start, index), index, dayCount));
  }
  return { seed, start, end, days, faults: planner.faults };
}

class Planner {
  readonly faults: InjectedFault[] = [];
  private readonly shelf: PlannedItem[] = [];
  private readonly serials = new Map<string, number>();
  private open: { invoice: InvoiceInput; open: number; partlyPaid: boolean }[] = [];
  private orders = 0;
  private invoices = 0;
  private payments = 0;
  /**
   * The fifoBreach fault's older unit: the newest of its delivery, kept out
   * of the orders until the end of the next day (so it is still on the
   * shelf, and every unit of its product that leaves that day is a breach).
   */
  private reserved: PlannedItem | null = null;

  constructor(
    private readonly seed: number,
    private readonly dice: Dice,
    private readonly itemsPerDay: number,
  ) {}

  day(date: string, index: number, dayCount: number): PlannedDay {
    const faults = faultsOf(index, dayCount);
    const fault = (name: KeyFault, detail: string) =>
      this.faults.push({ fault: name, date, detail });
    const po = `PO-${date.replaceAll("-", "")}`;
    const older = this.reserved;
    this.reserved = null;
    const newer = faults.has("fifoBreach") && older ? this.newItems(productOf(older), 2) : [];
    const delivered = [...this.deliver(faults, faultsOf(index + 1, dayCount)), ...newer];
    const supplier = this.supplierInvoice(po, date, delivered, index, faults);
    const day: PlannedDay = {
      date,
      delivery: {
        po,
        items: delivered,
        invoice: faults.has("lateSupplierInvoice") ? null : supplier.invoice,
      },
      vanished: [],
      orders: [],
      unshippedInvoices: [],
      creditOrders: [],
      payments: this.pay(date),
      adjustments: [],
    };
    if (faults.has("lateSupplierInvoice"))
      fault("lateSupplierInvoice", `${supplier.invoice.number} for ${po} never posted`);
    const plain = delivered.find((item) => item.gtin === null);
    if (plain) fault("uncommissionedTag", `tag ${plain.epc} in ${po}, put away in ${plain.bay}`);
    const unknown = delivered.filter((item) => item.gtin === UNKNOWN_GTIN);
    if (unknown.length > 0)
      fault("unknownGtin", `${unknown.length} items of GTIN ${UNKNOWN_GTIN} in ${po}`);
    if (faults.has("misplaced")) {
      const item = delivered.find((candidate) => candidate.sku !== null) as PlannedItem;
      item.bay = item.bay === "bay-1" ? "bay-2" : "bay-1";
      fault("misplaced", `${item.sku} ${item.epc} put away in ${item.bay}`);
    }
    const known = delivered.filter((item) => item.sku !== null);
    this.shelf.push(...known.filter((item) => item !== this.reserved));

    // First of the day, so the older unit is certainly still on the shelf when they leave.
    if (older && newer.length > 0) {
      const order = this.orderOf(date, this.dice.pick(KEY_CUSTOMERS).id, this.takeUnits(newer));
      day.orders.push(order);
      fault(
        "fifoBreach",
        `${order.order}: ${newer.length} × ${older.sku} of ${po} shipped while ${older.epc}, received the day before, stays on ${older.bay} to the end of the day`,
      );
    }
    // The first units of the dear layer leave first, for an order that is invoiced.
    if (supplier.dear) {
      const { sku, note } = supplier.dear;
      const order = this.orderOf(date, this.dice.pick(KEY_CUSTOMERS).id, this.take(sku, 2));
      day.orders.push(order);
      fault("aboveSalePrice", `${note}; ${order.order} sells ${order.shipped.length} under cost`);
    }

    if (faults.has("shortShipment")) {
      const { order, product } = this.faultOrder(date, 5, 7);
      day.orders.push(order);
      fault("shortShipment", `${order.order}: 5 × ${product.sku} shipped, 7 invoiced`);
    }
    if (faults.has("overShipment")) {
      const { order, product } = this.faultOrder(date, 9, 7);
      day.orders.push(order);
      fault("overShipment", `${order.order}: 9 × ${product.sku} shipped, 7 invoiced`);
      if (faults.has("countAdjustment")) {
        day.adjustments.push({
          sku: product.sku,
          delta: -2,
          reason: `count after ${order.order}: 2 fewer than the book`,
        });
        fault("countAdjustment", `${product.sku} book −2 after counting (${order.order})`);
      }
    }
    // Ordinary orders ship about what came in, leaving a few items on the shelves.
    let toShip = Math.round(this.itemsPerDay * 0.85);
    while (toShip > 0 && this.shelf.length > 4) {
      const order = this.order(date, Math.min(toShip, this.dice.int(3, 12)));
      if (order.shipped.length === 0) break;
      toShip -= order.shipped.length;
      if (faults.has("neverInvoiced") && !day.orders.some((o) => o.invoice === null)) {
        // Never issued: nobody pays it either.
        this.open = this.open.filter((item) => item.invoice !== order.invoice);
        order.invoice = null;
        fault("neverInvoiced", `${order.order} (${order.shipped.length} items) never invoiced`);
      }
      day.orders.push(order);
    }
    if (faults.has("vanished")) {
      const item = this.take(this.shelf[0]?.sku as string, 1)[0] as PlannedItem;
      day.vanished.push(item);
      fault("vanished", `${item.sku} ${item.epc} gone from ${item.bay}`);
    }
    if (faults.has("invoicedNotShipped")) {
      const product = this.dice.pick(KEY_PRODUCTS);
      const number = this.nextOrder();
      const customer = this.dice.pick(KEY_CUSTOMERS).id;
      const invoice = this.customerInvoice(number, customer, date, [[product, 2]]);
      day.unshippedInvoices.push(invoice);
      fault(
        "invoicedNotShipped",
        `${invoice.number} bills 2 × ${product.sku} for ${number}, never shipped`,
      );
    }
    if (index === dayCount - 1) {
      day.payments.push(this.payment(date, PREPAYING_CUSTOMER.id, 50_000, "ACOMPTE ELAN BATIMENT"));
      // Two orders over the 100.00 limit, both held; a 100.00 payment on
      // account releases the first (−100.00 + 159.00 is within the limit)
      // and stops before the second (59.00 + 318.00 is not).
      const saw = KEY_PRODUCTS[1] as KeyProduct;
      for (const quantity of [1, 2]) {
        day.creditOrders.push({
          order: this.nextOrder(),
          customer: LIMITED_CUSTOMER.id,
          lines: [{ sku: saw.sku, quantity, unitPrice: saw.unitPrice }],
        });
      }
      day.payments.push(
        this.payment(date, LIMITED_CUSTOMER.id, 10_000, "ACOMPTE FRUGAL MENUISERIE"),
      );
    }
    if (older) {
      // Back among the units of its age: after every older one, before today's.
      const today = new Set(delivered.map((item) => item.epc));
      const at = this.shelf.findIndex((item) => today.has(item.epc));
      this.shelf.splice(at === -1 ? this.shelf.length : at, 0, older);
    }
    return day;
  }

  /** The day's delivery: one or two products, plus what the day's and the next day's faults need. */
  private deliver(faults: Set<KeyFault>, tomorrow: Set<KeyFault>): PlannedItem[] {
    const items: PlannedItem[] = [];
    const products = [...new Set([this.dice.pick(KEY_PRODUCTS), this.dice.pick(KEY_PRODUCTS)])];
    const first = Math.ceil(this.itemsPerDay / products.length);
    products.forEach((product, index) => {
      items.push(...this.newItems(product, index === 0 ? first : this.itemsPerDay - first));
    });
    // Orders that must ship 9 of one product find them on the shelf.
    if (faults.has("shortShipment") || faults.has("overShipment"))
      items.push(...this.newItems(KEY_PRODUCTS[1] as KeyProduct, 18));
    if (faults.has("uncommissionedTag")) {
      items.push({ epc: "E2801160600002A4C5D6E7F8", gtin: null, sku: null, bay: "bay-1" });
    }
    if (faults.has("unknownGtin")) {
      for (let serial = 1; serial <= 2; serial++) {
        items.push({
          epc: sgtin96(UNKNOWN_GTIN, serial),
          gtin: UNKNOWN_GTIN,
          sku: null,
          bay: "bay-2",
        });
      }
    }
    if (tomorrow.has("fifoBreach")) {
      // Last of the delivery: the newest, so no order of the day passes it over.
      this.reserved = this.newItems(products[0] as KeyProduct, 1)[0] as PlannedItem;
      items.push(this.reserved);
    }
    return items;
  }

  /** New tags; a product with a second GTIN gets every other item under it. */
  private newItems(product: KeyProduct, count: number): PlannedItem[] {
    return Array.from({ length: count }, () => {
      const serial = (this.serials.get(product.sku) ?? 0) + 1;
      this.serials.set(product.sku, serial);
      const gtin = serial % 2 === 0 && product.gtins[0] ? product.gtins[0] : product.gtin;
      return { epc: sgtin96(gtin, serial), gtin, sku: product.sku, bay: product.bay };
    });
  }

  /**
   * The supplier's invoice for a delivery, at its prices of the day (never
   * the catalog cost); on the aboveSalePrice day, the delivery's first
   * product above its sale price (`dear` says so).
   */
  private supplierInvoice(
    po: string,
    date: string,
    items: PlannedItem[],
    dayIndex: number,
    faults: Set<KeyFault>,
  ): { invoice: InvoiceInput; dear: { sku: string; note: string } | null } {
    const counts = countBySku(items);
    this.invoices += 1;
    let dear: { sku: string; note: string } | null = null;
    const lines = [...counts].map(([sku, quantity], index) => {
      const product = KEY_PRODUCTS.find((p) => p.sku === sku) as KeyProduct;
      if (index === 0 && faults.has("aboveSalePrice")) {
        const price = dearPrice(product);
        dear = { sku, note: `${po} bills ${sku} ${price} a unit, sold at ${product.unitPrice}` };
        return invoiceLine(index, product, quantity, price);
      }
      return invoiceLine(index, product, quantity, supplierPrice(this.seed, dayIndex, product));
    });
    const made = invoice({
      number: `MART-${String(this.invoices).padStart(5, "0")}`,
      direction: "supplier",
      supplier: KEY_SUPPLIER,
      orderRef: po,
      issueDate: date,
      dueDate: addDays(date, 30),
      lines,
    });
    return { invoice: made, dear };
  }

  /** An ordinary order: items of one or two products on the shelves, invoiced exactly. */
  private order(date: string, size: number): PlannedOrder {
    const customer = this.dice.pick(KEY_CUSTOMERS);
    const skus = [...new Set([this.dice.pick(this.shelf).sku, this.dice.pick(this.shelf).sku])];
    const shipped: PlannedItem[] = [];
    for (const sku of skus)
      shipped.push(...this.take(sku as string, Math.ceil(size / skus.length)));
    return this.orderOf(date, customer.id, shipped);
  }

  /** An order for what leaves, invoiced exactly. */
  private orderOf(date: string, customer: string, shipped: PlannedItem[]): PlannedOrder {
    const number = this.nextOrder();
    const lines = [...countBySku(shipped)].map(
      ([sku, quantity]) =>
        [KEY_PRODUCTS.find((p) => p.sku === sku) as KeyProduct, quantity] as const,
    );
    return {
      order: number,
      customer,
      lines: lines.map(([product, quantity]) => ({
        sku: product.sku,
        quantity,
        unitPrice: product.unitPrice,
      })),
      shipped,
      invoice: this.customerInvoice(number, customer, date, lines),
    };
  }

  /** An order of one product where `shipped` items leave and `billed` are invoiced. */
  private faultOrder(date: string, shipped: number, billed: number) {
    const product = KEY_PRODUCTS[1] as KeyProduct;
    const customer = this.dice.pick(KEY_CUSTOMERS).id;
    const number = this.nextOrder();
    // The customer ordered what the invoice bills: the dock got it wrong.
    const order: PlannedOrder = {
      order: number,
      customer,
      lines: [{ sku: product.sku, quantity: billed, unitPrice: product.unitPrice }],
      shipped: this.take(product.sku, shipped),
      invoice: this.customerInvoice(number, customer, date, [[product, billed]]),
    };
    return { order, product };
  }

  /** Takes items of a SKU off the shelves, oldest first. */
  private take(sku: string, count: number): PlannedItem[] {
    const taken: PlannedItem[] = [];
    for (let i = 0; i < this.shelf.length && taken.length < count; ) {
      if (this.shelf[i]?.sku === sku) taken.push(...this.shelf.splice(i, 1));
      else i++;
    }
    return taken;
  }

  /** Takes these very units off the shelves, whatever their age. */
  private takeUnits(units: readonly PlannedItem[]): PlannedItem[] {
    const epcs = new Set(units.map((unit) => unit.epc));
    const taken = this.shelf.filter((item) => epcs.has(item.epc));
    this.shelf.splice(0, this.shelf.length, ...this.shelf.filter((item) => !epcs.has(item.epc)));
    return taken;
  }

  private nextOrder(): string {
    this.orders += 1;
    return `SO-${String(this.orders).padStart(5, "0")}`;
  }

  private customerInvoice(
    order: string,
    customer: string,
    date: string,
    lines: readonly (readonly [KeyProduct, number])[],
  ): InvoiceInput {
    this.invoices += 1;
    const terms = KEY_CUSTOMERS.find((c) => c.id === customer)?.paymentTermsDays ?? 30;
    const made = invoice({
      number: `INV-${String(this.invoices).padStart(6, "0")}`,
      direction: "customer",
      customer,
      orderRef: order,
      issueDate: date,
      dueDate: addDays(date, terms),
      lines: lines.map(([product, quantity], index) =>
        invoiceLine(index, product, quantity, product.unitPrice),
      ),
    });
    this.open.push({ invoice: made, open: made.amountDue, partlyPaid: false });
    return made;
  }

  /** Customers pay some of the invoices of earlier days: in full, or half now. */
  private pay(date: string): PaymentInput[] {
    const payments: PaymentInput[] = [];
    for (const item of this.open) {
      if (item.open === 0 || item.invoice.issueDate >= date) continue;
      const roll = this.dice.next();
      if (roll < 0.35) {
        payments.push(this.paymentFor(date, item, item.open));
      } else if (roll < 0.45 && !item.partlyPaid) {
        payments.push(this.paymentFor(date, item, Math.round(item.open / 2)));
        item.partlyPaid = true;
      }
    }
    return payments;
  }

  private paymentFor(
    date: string,
    item: { invoice: InvoiceInput; open: number },
    amount: number,
  ): PaymentInput {
    item.open -= amount;
    const customer = item.invoice.customer as string;
    const name = KEY_CUSTOMERS.find((c) => c.id === customer)?.name ?? customer;
    return this.payment(
      date,
      customer,
      amount,
      `VIR SEPA ${name.toUpperCase()} FACT ${item.invoice.number}`,
    );
  }

  private payment(date: string, customer: string, amount: number, label: string): PaymentInput {
    this.payments += 1;
    return {
      id: `BANK-${String(this.payments).padStart(6, "0")}`,
      date,
      amount,
      currency: KEY_CURRENCY,
      label,
      customer,
    };
  }
}

const productOf = (item: PlannedItem) =>
  KEY_PRODUCTS.find((product) => product.sku === item.sku) as KeyProduct;

function countBySku(items: readonly PlannedItem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    if (item.sku !== null) counts.set(item.sku, (counts.get(item.sku) ?? 0) + 1);
  }
  return counts;
}
