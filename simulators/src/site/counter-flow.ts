import { DEMO_CUSTOMERS, DEMO_PRODUCTS } from "./demo-data.js";
import { ApiCallError, type JsonApi } from "./http-client.js";
import { type Dice, pause } from "./pace.js";
import type { SiteWorld } from "./world.js";

export interface CounterFlowOptions {
  world: SiteWorld;
  /** The counter node's local API. */
  counter: JsonApi;
  dice: Dice;
  say: (line: string) => void;
  /** From the shelf to the counter: longer than the shelf node takes to record a pick. Default 6 s. */
  walkMs?: number;
  /** A supervisor of the counter node's config, and their PIN, for the occasional override. */
  supervisor?: { id: string; pin: string };
  /** The clerk who signs in at the till before each sale (sales record the signed-in clerk). */
  clerk?: { id: string; pin: string };
}

interface BasketLine {
  gtin?: string;
  sku: string;
  epcs: string[];
}

interface Decision {
  decision: "approve" | "block";
  reasons: { code: string; message: string }[];
}

interface SaleAnswer {
  sale: { id: string; total: number; customer?: string };
}

/** How long the counter clerk waits for the reader to see everything put down. */
const BASKET_WAIT_MS = 10_000;

/**
 * The sales counter of a simulated site: a customer's goods come off the
 * shelves onto the counter reader, the clerk checks the customer's credit
 * and sells on account — or, when blocked, for cash or with a
 * supervisor's override.
 */
export class CounterFlow {
  constructor(private readonly options: CounterFlowOptions) {}

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.sell(signal);
      } catch (error) {
        this.options.say(`counter: ${(error as Error).message}`);
      }
      await pause(this.options.dice.int(8000, 16000), signal);
    }
  }

  async sell(signal: AbortSignal): Promise<void> {
    const { world, dice, counter, say } = this.options;
    const shelved = world.shelvedItems();
    if (shelved.length < 6) return;
    // Mostly regulars with room on their account; now and then a small account buying big.
    const customer = dice.chance(0.25)
      ? (DEMO_CUSTOMERS.find((c) => c.id === "atelier-moreau") ?? dice.pick(DEMO_CUSTOMERS))
      : dice.pick(DEMO_CUSTOMERS.filter((c) => c.creditLimit !== 0));
    const items = shelved.slice(0, dice.int(1, customer.id === "atelier-moreau" ? 8 : 3));
    for (const item of items) world.takeFromShelf(item.epc);
    await world.save();
    // The walk to the counter: by then the shelf has recorded the pick.
    if (!(await pause(this.options.walkMs ?? 6000, signal))) return;
    for (const item of items)
      world.counter.show(item.epc, { antennas: [1], rssi: -45, periodMs: 200 });
    const epcs = items.map((item) => item.epc);
    try {
      const lines = await this.basketWith(epcs, signal);
      if (!lines) return;
      await this.signIn();
      const check = await counter.post<Decision>("/api/v1/pos/check", {
        customer: customer.id,
        lines,
      });
      if (check.decision === "approve") {
        const sold = await counter.post<SaleAnswer>("/api/v1/pos/sale", {
          customer: customer.id,
          payment: "account",
          lines,
        });
        this.record(sold, customer.id, lines);
        say(`counter: ${customer.name} bought ${describe(lines)} on account`);
        return;
      }
      const why = check.reasons.map((reason) => reason.message).join("; ");
      const { supervisor } = this.options;
      if (supervisor && dice.chance(0.3)) {
        const sold = await counter.post<SaleAnswer>("/api/v1/pos/override", {
          customer: customer.id,
          supervisor: supervisor.id,
          pin: supervisor.pin,
          reason: "regular customer, payment promised this week",
          lines,
        });
        this.record(sold, customer.id, lines);
        say(`counter: ${customer.name} blocked (${why}); supervisor override`);
        return;
      }
      const sold = await counter.post<SaleAnswer>("/api/v1/pos/sale", {
        customer: customer.id,
        payment: "cash",
        lines,
      });
      this.record(sold, customer.id, lines, true);
      say(`counter: ${customer.name} blocked on account (${why}); paid cash instead`);
    } catch (error) {
      // A refused sale puts the goods back on the shelf.
      if (error instanceof ApiCallError) {
        for (const item of items) world.putOnShelf(item.epc, item.gtin, item.bay);
      }
      throw error;
    } finally {
      for (const epc of epcs) world.counter.hide(epc);
      await world.save();
    }
  }

  /** Signs the clerk in at the till; the session goes with every later call. */
  private async signIn(): Promise<void> {
    const { clerk, counter } = this.options;
    if (!clerk) return;
    const { session } = await counter.post<{ session: string }>("/api/v1/pos/clerk/sign-in", {
      clerk: clerk.id,
      pin: clerk.pin,
    });
    counter.setHeader("x-clerk-session", session);
  }

  /** Waits until the counter's basket holds every tag put down; the lines to sell. */
  private async basketWith(epcs: string[], signal: AbortSignal): Promise<BasketLine[] | undefined> {
    const deadline = Date.now() + BASKET_WAIT_MS;
    while (Date.now() < deadline) {
      const basket = await this.options.counter.get<{ lines: BasketLine[] }>("/api/v1/pos/basket");
      const seen = new Set(basket.lines.flatMap((line) => line.epcs));
      if (epcs.every((epc) => seen.has(epc))) {
        return basket.lines
          .map((line) => ({ ...line, epcs: line.epcs.filter((epc) => epcs.includes(epc)) }))
          .filter((line) => line.epcs.length > 0)
          .map((line) =>
            line.gtin ? { gtin: line.gtin, epcs: line.epcs } : { sku: line.sku, epcs: line.epcs },
          ) as BasketLine[];
      }
      if (!(await pause(300, signal))) return undefined;
    }
    throw new Error("the counter reader did not see every item within 10 s");
  }

  /** A sale is for accounting to invoice, like a shipment (a cash one is paid at once). */
  private record(sold: SaleAnswer, customer: string, lines: BasketLine[], cash = false): void {
    const invoiceLines: Record<string, number> = {};
    for (const line of lines) {
      const gtin = line.gtin ?? DEMO_PRODUCTS.find((p) => p.sku === line.sku)?.gtin;
      if (gtin) invoiceLines[gtin] = (invoiceLines[gtin] ?? 0) + line.epcs.length;
    }
    this.options.world.state.sales += 1;
    this.options.world.state.shipments.push({
      order: sold.sale.id,
      customer,
      lines: invoiceLines,
      at: new Date().toISOString(),
      invoiced: false,
      ...(cash ? { cash } : {}),
    });
  }
}

function describe(lines: BasketLine[]): string {
  return lines
    .map((line) => {
      const product = DEMO_PRODUCTS.find((p) => p.gtin === line.gtin || p.sku === line.sku);
      return `${line.epcs.length} × ${product?.name ?? line.sku}`;
    })
    .join(", ");
}
