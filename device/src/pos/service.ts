import { EventEmitter } from "node:events";
import {
  type BelowCostLine,
  type Catalog,
  type Clock,
  CREDIT_DECISION_TYPE,
  CreditAmountSchema,
  type CreditDecision,
  type CreditPolicy,
  type CreditSnapshot,
  decideCredit,
  type Logger,
  MOVEMENT_TYPE,
  SALE_TYPE,
  type SaleBelowCost,
  type SaleData,
  SaleDataSchema,
  type SaleLine,
  silentLogger,
  systemClock,
} from "@comptoir/contracts";
import { DEFAULT_PIN_LIMITS, PinAttempts } from "./attempts.js";
import {
  type LineInput,
  type PricedBasket,
  PricingError,
  priceBasket,
  priceLines,
} from "./basket.js";
import { belowCostOfSale, linesBelowCost, saleBelowCost } from "./below-cost.js";
import { ClerkSessions } from "./clerk-sessions.js";
import { CounterBasket } from "./counter-basket.js";
import { decisionEntryData } from "./decision-entry.js";
import { PosRefusal } from "./errors.js";
import { checkTags, saleMovement } from "./sale-items.js";
import { counterPolicy, type Standing, standingOf } from "./standing.js";
import { SupervisorGate } from "./supervisors.js";
import type { OverrideInput, PosEvent, PosServiceOptions, SaleInput } from "./types.js";

/**
 * The counter: the basket, credit checks decided locally from the cache by
 * the shared `decideCredit`, sales, and supervisor overrides. Every decision
 * is a "credit-decision" entry; a sale is a "sale" entry followed by one
 * "sale" movement per tag. A refused sale records no sale and moves nothing.
 */
export class PosService {
  readonly basket: CounterBasket;
  private readonly events = new EventEmitter<{ event: [PosEvent] }>();
  private readonly gate: SupervisorGate;
  private readonly clerkGate: SupervisorGate;
  /** Clerks signed in at the tills; the routes take the clerk of a sale from here. */
  readonly clerkSessions: ClerkSessions;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly options: PosServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? silentLogger).child({ module: "pos" });
    const { config } = options;
    // One counter for supervisors and clerks: the node-wide limit covers both.
    const attempts = new PinAttempts(
      {
        ...DEFAULT_PIN_LIMITS,
        failuresBeforeLockout: config.pinAttemptsPerMinute,
        lockoutMs: config.pinLockoutSeconds * 1000,
        maxLockoutMs: config.pinLockoutMaxSeconds * 1000,
        nodeFailures: config.pinNodeFailures,
        nodeWindowMs: config.pinNodeWindowMinutes * 60_000,
      },
      options.attemptsFile,
    );
    this.gate = new SupervisorGate(config.supervisors, attempts, this.clock, this.log);
    this.clerkGate = new SupervisorGate(config.clerks, attempts, this.clock, this.log, "clerk");
    this.clerkSessions = new ClerkSessions(config.clerkSessionMinutes * 60_000, this.clock);
    this.basket = new CounterBasket(() => options.node.engine.basket());
    options.node.engine.on((event) => {
      if (event.type !== "basket") return;
      this.basket.left(event.removed);
      this.basketChanged();
    });
  }

  get online(): boolean {
    return this.options.online();
  }

  /** The basket priced, its lines under cost flagged with the policy a sale will apply. */
  pricedBasket(): PricedBasket {
    const basket = priceBasket(this.catalog(), this.basket.items(), this.basket.manualLines());
    return {
      ...basket,
      belowCost: linesBelowCost(this.catalog(), basket.lines),
      belowCostPolicy: this.options.config.belowCost,
    };
  }

  catalog(): Catalog | null {
    return this.options.cache.catalog();
  }

  /** Who may override, for the page's dialog: ids and names, never the PIN hashes. */
  supervisors(): { id: string; name: string }[] {
    return this.gate.list();
  }

  /** Clerks who may sign in, for the page's sign-in: ids and names. */
  clerks(): { id: string; name: string }[] {
    return this.clerkGate.list();
  }

  clerkName(id: string): string | undefined {
    return this.clerkGate.name(id);
  }

  /** Checks a clerk's PIN and opens a session on `terminal`; throws PosRefusal 403/429. */
  async signIn(clerk: string, pin: string, terminal: string) {
    const person = await this.clerkGate.verify(clerk, pin, { terminal });
    this.log.info({ clerk, terminal }, "clerk signed in");
    return {
      ...this.clerkSessions.open(person.id, terminal),
      clerk: { id: person.id, name: person.name },
    };
  }

  /** Customers whose id or name holds `query` (case-insensitive), by name. */
  customers(query: string, limit = 20): Standing[] {
    const needle = query.trim().toLowerCase();
    return this.options.cache
      .customers()
      .filter(
        (s) => s.customer.toLowerCase().includes(needle) || s.name.toLowerCase().includes(needle),
      )
      .sort((a, b) => a.name.localeCompare(b.name) || a.customer.localeCompare(b.customer))
      .slice(0, limit)
      .map((s) => this.standingOf(s));
  }

  standing(customer: string): Standing | undefined {
    const snapshot = this.options.cache.snapshot(customer);
    return snapshot ? this.standingOf(snapshot) : undefined;
  }

  /** The decision for `amount` on account, without recording it. */
  decide(customer: string, amount: number): CreditDecision {
    const snapshot = this.options.cache.snapshot(customer) ?? null;
    const catalog = this.catalog();
    const format = this.options.format?.();
    const currency = catalog?.currency ?? format?.currency;
    return decideCredit({
      snapshot,
      pendingOwnSales: this.options.cache.pendingTotal(customer),
      amount,
      policy: this.policy(snapshot),
      now: this.clock.now(),
      offline: !this.online,
      ...(this.clockUnsynced ? { clockUnsynced: true } : {}),
      ...(currency ? { currency } : {}),
      ...(format ? { locale: format.locale } : {}),
    });
  }

  /**
   * Decides and records the decision. `amount` or `lines` (priced from the
   * catalog). The answer does not wait for the entry's fsync (the group
   * commit follows within `ledger.groupCommitMs`): a check allows nothing by
   * itself — the sale decides again and waits until its decision is durable.
   * Synchronous: nothing in it waits, so the route answers without a promise.
   */
  check(input: {
    customer: string;
    clerk: string;
    amount?: number | undefined;
    lines?: LineInput[] | undefined;
  }): CreditDecision & { seq: number; belowCost?: BelowCostLine[] } {
    const priced = input.lines ? this.price(input.lines) : [];
    const amount = input.amount ?? this.total(priced);
    const { written, ...decision } = this.decideAndAppend(input.customer, input.clerk, amount);
    written.catch((error: unknown) =>
      this.log.error({ err: error, seq: decision.seq }, "could not record a credit decision"),
    );
    // Reported beside the decision, not part of it: cost is no credit matter.
    const under = linesBelowCost(this.catalog(), priced);
    return under.length > 0 ? { ...decision, belowCost: under } : decision;
  }

  async sale(
    input: SaleInput,
  ): Promise<{ sale: SaleData; seq: number; decision?: CreditDecision & { seq: number } }> {
    const lines = this.price(input.lines);
    checkTags(this.options.node, lines);
    const total = this.total(lines);
    // Before the credit decision: a sale refused for its prices records no decision.
    const belowCost = await this.belowCost(lines, input);
    if (input.payment === "cash") return this.complete(input, lines, total, undefined, belowCost);
    const customer = input.customer as string;
    const decision = await this.decideAndRecord(customer, input.clerk, total);
    if (decision.decision === "block") {
      throw new PosRefusal(
        422,
        "credit_blocked",
        `on-account sale blocked: ${decision.reasons.map((r) => r.message).join("; ")} — sell for cash, or a supervisor may override`,
        "customer",
        decision,
      );
    }
    return { ...(await this.complete(input, lines, total, undefined, belowCost)), decision };
  }

  /**
   * A supervisor completes a blocked on-account sale: PIN, then the same
   * decision, then the sale. Blocked for credit, or for lines under cost
   * (policy "block"): the one PIN and reason cover both.
   */
  async override(input: OverrideInput) {
    const supervisor = await this.gate.verify(input.supervisor, input.pin, { clerk: input.clerk });
    const lines = this.price(input.lines);
    checkTags(this.options.node, lines);
    const total = this.total(lines);
    const decision = await this.decideAndRecord(input.customer, input.clerk, total);
    const under = linesBelowCost(this.catalog(), lines);
    const blocksUnderCost = under.length > 0 && this.options.config.belowCost === "block";
    if (decision.decision === "approve" && !blocksUnderCost) {
      throw new PosRefusal(
        422,
        "not_blocked",
        "this sale is approved without an override: complete it as an ordinary on-account sale",
        "customer",
        decision,
      );
    }
    const { exposure, limit } = decision.figures;
    const override =
      decision.decision === "block"
        ? {
            supervisor: supervisor.id,
            reason: input.reason,
            exposureBefore: exposure,
            exposureAfter: exposure + total,
            limit,
          }
        : undefined;
    const approval = { supervisor: supervisor.id, reason: input.reason };
    const belowCost = belowCostOfSale(
      under,
      this.options.config.belowCost,
      decision.figures.currency,
      blocksUnderCost ? approval : undefined,
      this.options.format?.().locale,
    );
    this.log.info(
      { customer: input.customer, clerk: input.clerk, ...approval, credit: Boolean(override) },
      "blocked sale overridden",
    );
    const sale = {
      customer: input.customer,
      payment: "account" as const,
      clerk: input.clerk,
      lines: input.lines,
    };
    return { ...(await this.complete(sale, lines, total, override, belowCost)), decision };
  }

  subscribe(listener: (event: PosEvent) => void): () => void {
    this.events.on("event", listener);
    return () => this.events.off("event", listener);
  }

  /** Tells pages that a customer's credit data changed (a snapshot arrived). */
  creditChanged(customer: string): void {
    this.emit({ type: "credit", customer });
  }

  linkChanged(): void {
    this.emit({ type: "link", online: this.online });
  }

  basketChanged(): void {
    this.emit({ type: "basket", basket: this.pricedBasket() });
  }

  /** Decides and records; resolves once the decision entry is durable. */
  private async decideAndRecord(customer: string, clerk: string, amount: number) {
    const { written, ...decision } = this.decideAndAppend(customer, clerk, amount);
    await written;
    return decision;
  }

  /**
   * Decides and starts the append in one synchronous step: no other sale can
   * slip between the figures read and the entry's place in the ledger.
   */
  private decideAndAppend(customer: string, clerk: string, amount: number) {
    const valid = CreditAmountSchema.safeParse(amount);
    if (!valid.success) {
      throw new PosRefusal(
        422,
        "invalid_amount",
        `amount ${amount}: ${valid.error.issues[0]?.message}`,
        "amount",
      );
    }
    const snapshot = this.options.cache.snapshot(customer);
    const catalog = this.catalog();
    if (snapshot && catalog && snapshot.currency !== catalog.currency) {
      throw new PosRefusal(
        422,
        "currency_mismatch",
        `customer ${customer} has credit in ${snapshot.currency} but the catalog prices in ${catalog.currency}`,
        "customer",
      );
    }
    const decision = this.decide(customer, amount);
    const data = decisionEntryData(customer, clerk, decision, this.clock.now().toISOString());
    // record() appends synchronously: the entry takes the next seq.
    const seq = this.options.node.ledger.head.seq + 1;
    const written = this.options.node.record(CREDIT_DECISION_TYPE, data);
    // Every decision is in the ledger; the log has it at debug only, a busy counter makes many
    // (and builds its fields only then).
    if (this.log.isLevelEnabled("debug"))
      this.log.debug(
        { customer, clerk, amount, decision: decision.decision, seq },
        "credit decision",
      );
    return { ...decision, seq, written };
  }

  /** Records the sale, then one movement per tag sold; the tags leave stock. */
  private async complete(
    input: SaleInput,
    lines: SaleLine[],
    total: number,
    override?: SaleData["override"],
    belowCost?: SaleBelowCost,
  ) {
    const { node } = this.options;
    const at = this.clock.now().toISOString();
    const catalog = this.catalog() as Catalog;
    const id = `${node.nodeId}-${node.ledger.head.seq + 1}`;
    const sale = SaleDataSchema.parse({
      id,
      payment: input.payment,
      ...(input.customer ? { customer: input.customer } : {}),
      clerk: input.clerk,
      currency: catalog.currency,
      lines,
      total,
      ...(override ? { override } : {}),
      ...(belowCost ? { belowCost } : {}),
      at,
    });
    const entry = await node.record(SALE_TYPE, sale);
    this.options.cache.noteEntry(entry);
    const epcs = lines.flatMap((line) => line.epcs);
    await Promise.all(
      lines.flatMap((line) =>
        line.epcs.map((epc) =>
          node.record(MOVEMENT_TYPE, saleMovement(node, this.options.reader, epc, line, sale)),
        ),
      ),
    );
    this.basket.sold(epcs);
    this.basketChanged();
    if (sale.customer) this.creditChanged(sale.customer);
    return { sale, seq: entry.seq };
  }

  private belowCost(lines: SaleLine[], input: SaleInput) {
    return saleBelowCost(linesBelowCost(this.catalog(), lines), input, {
      policy: this.options.config.belowCost,
      currency: this.catalog()?.currency ?? "",
      gate: this.gate,
      log: this.log,
      ...(this.options.format ? { locale: this.options.format().locale } : {}),
    });
  }

  private price(inputs: LineInput[]): SaleLine[] {
    try {
      return priceLines(this.catalog(), inputs);
    } catch (error) {
      if (error instanceof PricingError)
        throw new PosRefusal(422, "unknown_product", error.message, error.path);
      throw error;
    }
  }

  private total(lines: SaleLine[]): number {
    const total = lines.reduce((sum, line) => sum + line.lineTotal, 0);
    if (!Number.isSafeInteger(total))
      throw new PosRefusal(422, "invalid_amount", "the total is out of range", "lines");
    return total;
  }

  /**
   * Only when the OS says so: where it does not (no timesyncd, no timedated), blocking every
   * offline sale on account would stop tills for what cannot be known; the ledger's monotonic
   * clock and the gateway's skew flag still catch a wrong clock (gateway README, "Clocks").
   */
  private get clockUnsynced(): boolean {
    return this.options.clockSync?.() === "unsynced";
  }

  private policy(snapshot: CreditSnapshot | null): CreditPolicy {
    return counterPolicy(snapshot, this.options.config);
  }

  private standingOf(snapshot: CreditSnapshot): Standing {
    return standingOf(snapshot, this.options.cache.pendingTotal(snapshot.customer), {
      online: this.online,
      now: this.clock.now(),
      policy: this.policy(snapshot),
      clockUnsynced: this.clockUnsynced,
    });
  }

  private emit(event: PosEvent): void {
    try {
      this.events.emit("event", event);
    } catch (error) {
      this.log.warn({ err: error }, "a POS page listener failed");
    }
  }
}
