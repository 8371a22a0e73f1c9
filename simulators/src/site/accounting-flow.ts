import { DEMO_CURRENCY, DEMO_CUSTOMERS, DEMO_PRODUCTS, type DemoProduct } from "./demo-data.js";
import type { JsonApi } from "./http-client.js";
import { type Dice, pause } from "./pace.js";
import type { Delivery, Shipment, SiteWorld } from "./world.js";

export interface AccountingFlowOptions {
  world: SiteWorld;
  /** The gateway's API, with a token allowed to write receivables. */
  gateway: JsonApi;
  dice: Dice;
  say: (line: string) => void;
  /** Share of dock shipments invoiced with one item too many (an invoiced-not-shipped unit to find). */
  mismatchRate?: number;
  /** Share of dock shipments never invoiced (a revenue leak to find). */
  forgetRate?: number;
}

/** The supplier of the simulated site's deliveries. */
export const DEMO_SUPPLIER = "Outillage Martin SA";
/** Documents booked per round at most: the staff rarely get that far ahead. */
const PER_ROUND = 6;

interface OpenInvoice {
  number: string;
  customer: string | null;
  openBalance: number;
  dueDate: string;
}

const VAT_RATE = 20;

/**
 * The accounting software of a simulated site: books the supplier's invoice
 * for each delivery, invoices what left the dock and what counters sold (a
 * cash sale is invoiced and paid at once), and books the customers' bank
 * transfers. Now and then it makes a mistake on a dock shipment on purpose,
 * and says so: those are the only discrepancies a reconciliation of the
 * demo should find.
 */
export class AccountingFlow {
  constructor(private readonly options: AccountingFlowOptions) {}

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        for (let round = 0; round < PER_ROUND; round++) if (!(await this.bookNext())) break;
        if (this.options.dice.chance(0.35)) await this.bookPayment();
      } catch (error) {
        this.options.say(`accounting: ${(error as Error).message}`);
      }
      await pause(this.options.dice.int(4000, 9000), signal);
    }
  }

  /** Books the oldest delivery, shipment or counter sale not booked yet; false when none is left. */
  async bookNext(): Promise<boolean> {
    const { world } = this.options;
    const delivery = world.state.deliveries?.find((d) => !d.invoiced);
    if (delivery) {
      delivery.invoiced = true;
      await world.save();
      await this.supplierInvoice(delivery);
      return true;
    }
    const shipment = world.state.shipments.find((s) => !s.invoiced);
    if (!shipment) return false;
    shipment.invoiced = true;
    await world.save();
    await this.invoice(shipment);
    return true;
  }

  private async supplierInvoice(delivery: Delivery): Promise<void> {
    const { world, say, gateway } = this.options;
    world.state.invoices = (world.state.invoices ?? 0) + 1;
    const number = `MART-${String(world.state.invoices).padStart(6, "0")}`;
    const invoice = supplierInvoiceFor(delivery, number);
    await gateway.post("/invoices", invoice);
    say(`accounting: supplier invoice ${number} for ${delivery.po}, ${euros(invoice.amountDue)}`);
  }

  private async invoice(shipment: Shipment): Promise<void> {
    const { world, dice, say, gateway } = this.options;
    // Mistakes only on dock orders: a counter sale is invoiced by the till itself.
    const dock = shipment.order.startsWith("SO-");
    if (dock && dice.chance(this.options.forgetRate ?? 0.06)) {
      say(
        `accounting: FAULT on purpose — ${shipment.order} (${nameOf(shipment.customer)}) will never be invoiced; once the 3-day grace period is over, reconciliation lists it as shipped_not_invoiced and the book stock stays above the count`,
      );
      return;
    }
    const mismatch = dock && dice.chance(this.options.mismatchRate ?? 0.06);
    const invoice = invoiceFor(shipment, nextNumber(world), mismatch);
    await gateway.post("/invoices", invoice);
    say(
      `accounting: invoice ${invoice.number} to ${nameOf(shipment.customer)} for ${shipment.order}, ${euros(invoice.amountDue)}`,
    );
    if (mismatch) {
      const first = DEMO_PRODUCTS.find((p) => p.gtin === Object.keys(shipment.lines)[0]);
      say(
        `accounting: FAULT on purpose — ${invoice.number} bills one ${first?.name ?? "item"} more than left for ${shipment.order}; reconciliation lists it as invoiced_not_shipped (1 unit), and the book stock of ${first?.sku ?? "it"} one under the count (stock_gap +1)`,
      );
    }
    if (shipment.cash) {
      await gateway.post("/payments", {
        id: `CASH-${invoice.number}`,
        date: invoice.issueDate,
        amount: invoice.amountDue,
        currency: DEMO_CURRENCY,
        label: `CAISSE COMPTOIR FACT ${invoice.number}`,
        customer: shipment.customer,
      });
    }
  }

  /** A customer pays one of its open invoices, usually in full, the number in the transfer's label. */
  async bookPayment(): Promise<void> {
    const { dice, say, gateway, world } = this.options;
    const { invoices } = await gateway.get<{ invoices: OpenInvoice[] }>(
      "/invoices?status=open&direction=customer",
    );
    const payable = invoices.filter((invoice) => invoice.customer && invoice.openBalance > 0);
    if (payable.length === 0) return;
    // A customer told its order waits on a payment tends to pay: that releases the order.
    const waiting = new Set((world.state.held ?? []).map((order) => order.customer));
    const chased = payable.filter((invoice) => waiting.has(invoice.customer ?? ""));
    const invoice = dice.pick(
      chased.length > 0 && dice.chance(0.6) ? chased.slice(0, 3) : payable.slice(-10),
    );
    const partial = dice.chance(0.2);
    const amount = partial ? Math.round(invoice.openBalance / 2) : invoice.openBalance;
    const today = new Date().toISOString().slice(0, 10);
    await gateway.post("/payments", {
      id: `BANK-${Date.now().toString(36).toUpperCase()}-${dice.int(100, 999)}`,
      date: today,
      amount,
      currency: DEMO_CURRENCY,
      label: `VIR SEPA ${nameOf(invoice.customer ?? "").toUpperCase()} FACT ${invoice.number}`,
      customer: invoice.customer ?? undefined,
    });
    say(
      `bank: ${nameOf(invoice.customer ?? "")} paid ${euros(amount)} for ${invoice.number}${partial ? " (part)" : ""}`,
    );
  }
}

function nextNumber(world: SiteWorld): string {
  world.state.invoices = (world.state.invoices ?? 0) + 1;
  return `INV-${new Date().getUTCFullYear()}-${String(world.state.invoices).padStart(6, "0")}`;
}

/**
 * What the supplier charges for a product on one purchase order: the
 * catalog cost, give or take a few percent from one delivery to the next
 * (the invoice revalues the stock that came in at the catalog cost), and
 * now and then a spirit level dearer than the counter sells it, so that the
 * demo shows a sale under cost.
 */
export function supplierPrice(product: { sku: string; unitCost: number }, po: string): number {
  let hash = 0;
  for (const char of `${po}:${product.sku}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  if (product.sku === "LVL-60" && hash % 4 === 0) return 3590;
  const percent = [-3, 0, 2, 5][hash % 4] ?? 0;
  return Math.round((product.unitCost * (100 + percent)) / 100);
}

/** The supplier's invoice for a delivery: what came in, at the supplier's prices, under its purchase order. */
export function supplierInvoiceFor(delivery: Delivery, number: string) {
  return {
    number,
    direction: "supplier" as const,
    ...document(delivery.lines, (product) => supplierPrice(product, delivery.po), 30, false),
    supplier: DEMO_SUPPLIER,
    orderRef: delivery.po,
  };
}

/** The invoice the accounting software would issue for what was delivered. */
export function invoiceFor(shipment: Shipment, number: string, oneTooMany: boolean) {
  const customer = DEMO_CUSTOMERS.find((c) => c.id === shipment.customer);
  return {
    number,
    direction: "customer" as const,
    ...document(
      shipment.lines,
      (product) => product.unitPrice,
      customer?.paymentTermsDays ?? 30,
      oneTooMany,
    ),
    customer: shipment.customer,
    orderRef: shipment.order,
  };
}

/**
 * An invoice's body dated today: a line per GTIN at the product's price or
 * cost, VAT, totals; with `oneTooMany`, the first line bills one item more.
 */
function document(
  quantities: Record<string, number>,
  price: (product: DemoProduct) => number,
  termsDays: number,
  oneTooMany: boolean,
) {
  const lines = Object.entries(quantities).map(([gtin, quantity], index) => {
    const product = DEMO_PRODUCTS.find((p) => p.gtin === gtin);
    const billed = oneTooMany && index === 0 ? quantity + 1 : quantity;
    const unitPrice = product ? price(product) : 0;
    return {
      id: String(index + 1),
      gtin,
      ...(product ? { sku: product.sku, name: product.name } : {}),
      quantity: billed,
      unitCode: "C62",
      unitPrice,
      netAmount: unitPrice * billed,
      vatRate: VAT_RATE,
    };
  });
  const netTotal = lines.reduce((sum, line) => sum + line.netAmount, 0);
  const vatTotal = Math.round((netTotal * VAT_RATE) / 100);
  const issue = new Date();
  const due = new Date(issue.getTime() + termsDays * 86_400_000);
  return {
    type: "invoice" as const,
    issueDate: issue.toISOString().slice(0, 10),
    dueDate: due.toISOString().slice(0, 10),
    currency: DEMO_CURRENCY,
    lines,
    netTotal,
    vatTotal,
    grossTotal: netTotal + vatTotal,
    prepaid: 0,
    amountDue: netTotal + vatTotal,
    source: { format: "json" as const },
  };
}

function nameOf(customer: string): string {
  return DEMO_CUSTOMERS.find((c) => c.id === customer)?.name ?? customer;
}

function euros(cents: number): string {
  return `${(cents / 100).toFixed(2)} €`;
}
