import { type Clock, type Payment, PaymentSchema, systemClock } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Catalog } from "../catalog/service.js";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import { allocate, nextLetter } from "../receivables/allocations.js";
import type { ReceivablesChanges } from "../receivables/changes.js";
import { invoicesNamed, type NamedInvoice } from "../receivables/invoices-named.js";
import {
  type AllocationRecord,
  type PaymentResult,
  ReceivablesConflictError,
  type ReceivablesQueries,
  ReceivablesRuleError,
} from "../receivables/queries.js";
import { assertPaymentsFit } from "../receivables/site-totals.js";
import { prepared } from "../store/prepared.js";
import { labelCandidates, planCashApplication, referencedInvoices } from "./cash-application.js";

export interface PaymentApplicationOptions {
  clock?: Clock;
  /** Largest difference written off, in minor units (default 100). */
  writeOffTolerance?: number;
  /** The site's currency: payments in another are refused. */
  currency?: string;
}

/**
 * Where a bank payment is applied: recorded, matched against the customer's
 * open invoices by the cash-application rules (cash-application.ts), and
 * its allocations written, in one transaction with its "payment.recorded"
 * entry. Once committed, the receivables' change feed tells the credit
 * snapshot publisher (credit/snapshots.ts), which republishes the customer's
 * figures to the counters.
 */
export class PaymentApplication {
  private readonly clock: Clock;
  private readonly tolerance: number;
  private readonly currency: string;
  private readonly recordAndApply: (payment: Payment, actor: Actor, now: string) => PaymentResult;

  constructor(
    private readonly db: Database.Database,
    private readonly ledger: GatewayLedger,
    private readonly catalog: Catalog,
    private readonly read: ReceivablesQueries,
    private readonly changes: ReceivablesChanges,
    options: PaymentApplicationOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.tolerance = options.writeOffTolerance ?? 100;
    this.currency = options.currency ?? "EUR";
    // Wrapped once: better-sqlite3 builds a transaction function at some cost, and every payment would pay it.
    this.recordAndApply = db.transaction((payment: Payment, actor: Actor, now: string) =>
      this.apply(payment, actor, now),
    );
  }

  /**
   * Records a payment and applies it (cash application), all in one
   * transaction with its "payment.recorded" entry. The same id again is a
   * conflict. Without a customer, the invoices its label names, or a payer
   * name equal to one customer's, tell whose it is; otherwise it stays
   * unapplied and unidentified.
   */
  record(input: unknown, actor: Actor): PaymentResult {
    const payment = PaymentSchema.parse(input);
    const result = this.recordAndApply(payment, actor, this.clock.now().toISOString());
    this.changes.tell([result.customer]);
    return result;
  }

  /** Inside the transaction: checks, identifies, records and applies the payment with its entry. */
  private apply(payment: Payment, actor: Actor, now: string): PaymentResult {
    if (prepared(this.db, "SELECT 1 FROM payments WHERE id = ?").get(payment.id)) {
      throw new ReceivablesConflictError(`payment ${payment.id} is already recorded`, "id");
    }
    if (payment.currency !== this.currency) {
      throw new ReceivablesRuleError(
        `the site keeps receivables in ${this.currency}, not ${payment.currency}`,
        "currency",
      );
    }
    if (payment.customer && !this.catalog.customer(payment.customer)) {
      throw new ReceivablesRuleError(
        `no customer ${payment.customer}: create it first (POST /api/v1/customers)`,
        "customer",
      );
    }
    assertPaymentsFit(this.db, payment.amount);
    const text = `${payment.label} ${payment.reference ?? ""}`;
    // Read once, by number: whose the payment is and which invoices it settles first.
    const named = invoicesNamed(this.db, labelCandidates(text));
    const customer = payment.customer ?? this.identifyPayer(text, named, payment.payer);
    prepared(
      this.db,
      `INSERT INTO payments (id, date, amount, currency, label, reference, customer, payer, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      payment.id,
      payment.date,
      payment.amount,
      payment.currency,
      payment.label,
      payment.reference ?? null,
      customer,
      payment.payer ?? null,
      now,
    );
    let allocations: AllocationRecord[] = [];
    let letter: string | null = null;
    let unapplied = payment.amount;
    if (customer) {
      const plan = this.planFor(customer, payment.amount, text, named);
      if (plan.allocations.length > 0) {
        letter = nextLetter(this.db);
        allocations = plan.allocations.map((planned) =>
          allocate(this.db, {
            letter: letter as string,
            source: planned.writeOff && planned.invoice !== null ? "write-off" : "payment",
            sourceId: payment.id,
            invoice: planned.invoice,
            customer,
            amount: planned.amount,
            rule: planned.rule,
            by: actor,
            at: now,
          }),
        );
      }
      unapplied = plan.unapplied;
    }
    this.ledger.record(
      "payment.recorded",
      { payment, customer, letter, allocations, unapplied, tolerance: this.tolerance },
      actor,
    );
    return { payment, customer, letter, allocations, unapplied };
  }

  /**
   * The cash application of a payment. Most name the invoices they settle
   * and the references alone take the whole amount: nothing is then left
   * for the oldest-due step or for an overpayment write-off, and the plan
   * against those invoices is the one all the customer's open invoices
   * would give (a short payment's write-off looks only at the invoices it
   * touched). Otherwise, planned against all of them.
   */
  private planFor(customer: string, amount: number, text: string, named: readonly NamedInvoice[]) {
    const open = named.filter((invoice) => invoice.customer === customer && invoice.balance > 0);
    if (open.length > 0) {
      const plan = planCashApplication(amount, text, open, this.tolerance);
      const byReference = plan.allocations
        .filter((allocation) => allocation.rule === "label-reference")
        .reduce((sum, allocation) => sum + allocation.amount, 0);
      if (byReference === amount) return plan;
    }
    return planCashApplication(amount, text, this.read.openInvoices(customer), this.tolerance);
  }

  /** Whose the payment is: the one owner of the invoices its label names, else the customer named as the payer. */
  private identifyPayer(
    text: string,
    named: readonly NamedInvoice[],
    payer: string | undefined,
  ): string | null {
    const owned = named.filter((invoice) => invoice.customer !== null);
    const owner = new Map(owned.map((invoice) => [invoice.number, invoice.customer]));
    const owners = new Set(referencedInvoices(text, owned).map((number) => owner.get(number)));
    if (owners.size === 1) return [...owners][0] as string;
    if (!payer) return null;
    const byName = this.catalog
      .customers()
      .filter((customer) => customer.name.trim().toLowerCase() === payer.trim().toLowerCase());
    return byName.length === 1 ? (byName[0]?.id ?? null) : null;
  }
}
