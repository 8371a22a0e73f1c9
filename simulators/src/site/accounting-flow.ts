import { DEMO_CURRENCY, DEMO_CUSTOMERS, DEMO_PRODUCTS } from "./demo-data.js";
import type { JsonApi } from "./http-client.js";
import { type Dice, pause } from "./pace.js";
import type { Shipment, SiteWorld } from "./world.js";

export interface AccountingFlowOptions {
  world: SiteWorld;
  /** The gateway's API, with a token allowed to write receivables. */
  gateway: JsonApi;
  dice: Dice;
  say: (line: string) => void;
  /** Share of shipments invoiced with one item too many (a quantity mismatch to find). */
  mismatchRate?: number;
  /** Share of shipments never invoiced (a revenue leak to find). */
  forgetRate?: number;
}

interface OpenInvoice {
  number: string;
  customer: string | null;
  openBalance: number;
  dueDate: string;
}

const VAT_RATE = 20;

/**
 * The accounting software of a simulated site: invoices what left the
 * dock and what counters sold on account — now and then with a mistake a
 * reconciliation must catch — and books the customers' bank transfers.
 */
export class AccountingFlow {
  constructor(private readonly options: AccountingFlowOptions) {}

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.invoiceNext();
        if (this.options.dice.chance(0.35)) await this.bookPayment();
      } catch (error) {
        this.options.say(`accounting: ${(error as Error).message}`);
      }
      await pause(this.options.dice.int(4000, 9000), signal);
    }
  }

  /** Invoices the oldest shipment or counter sale not invoiced yet. */
  async invoiceNext(): Promise<void> {
    const { world, dice, say, gateway } = this.options;
    const shipment = world.state.shipments.find((s) => !s.invoiced);
    if (!shipment) return;
    shipment.invoiced = true;
    await world.save();
    if (dice.chance(this.options.forgetRate ?? 0.06)) return;
    const mismatch = dice.chance(this.options.mismatchRate ?? 0.06);
    const invoice = invoiceFor(shipment, nextNumber(world), mismatch);
    await gateway.post("/invoices", invoice);
    say(
      `accounting: invoice ${invoice.number} to ${nameOf(shipment.customer)} for ${shipment.order}, ${euros(invoice.amountDue)}`,
    );
  }

  /** A customer pays one of its open invoices, usually in full, the number in the transfer's label. */
  async bookPayment(): Promise<void> {
    const { dice, say, gateway } = this.options;
    const { invoices } = await gateway.get<{ invoices: OpenInvoice[] }>(
      "/invoices?status=open&direction=customer",
    );
    const payable = invoices.filter((invoice) => invoice.customer && invoice.openBalance > 0);
    if (payable.length === 0) return;
    const invoice = dice.pick(payable.slice(-10));
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

/** The invoice the accounting software would issue for what was delivered. */
export function invoiceFor(shipment: Shipment, number: string, oneTooMany: boolean) {
  const customer = DEMO_CUSTOMERS.find((c) => c.id === shipment.customer);
  const entries = Object.entries(shipment.lines);
  const lines = entries.map(([gtin, quantity], index) => {
    const product = DEMO_PRODUCTS.find((p) => p.gtin === gtin);
    const billed = oneTooMany && index === 0 ? quantity + 1 : quantity;
    const unitPrice = product?.unitPrice ?? 0;
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
  const due = new Date(issue.getTime() + (customer?.paymentTermsDays ?? 30) * 86_400_000);
  return {
    number,
    direction: "customer" as const,
    type: "invoice" as const,
    issueDate: issue.toISOString().slice(0, 10),
    dueDate: due.toISOString().slice(0, 10),
    currency: DEMO_CURRENCY,
    customer: shipment.customer,
    orderRef: shipment.order,
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
