import type { Payment } from "@comptoir/contracts";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { PaymentResult } from "../receivables/queries.js";
import type { Receivables } from "../receivables/receivables.js";
import type { PaymentApplication } from "./apply.js";

/**
 * Payments received. One payment (POST /payments) and a file of them
 * (POST /payments/import, `comptoir import payments`) take the same path:
 * `PaymentApplication.record` (apply.ts) records each and applies it to open
 * invoices; once committed, the receivables' change feed tells the credit
 * snapshot publisher (credit/snapshots.ts), which republishes the customer's
 * figures to the counters. No caller republishes by hand.
 */
export class Payments {
  constructor(
    private readonly application: PaymentApplication,
    private readonly receivables: Receivables,
    private readonly ledger: GatewayLedger,
  ) {}

  /** Records and applies one payment. */
  record(input: unknown, actor: Actor): PaymentResult {
    return this.application.record(input, actor);
  }

  /**
   * Records and applies a file's payments in one transaction, all or nothing
   * (throws `ImportRefused` listing every refusal), with its own
   * "payments.imported" entry. A dry run checks all of it and stores nothing.
   */
  import(payments: readonly Payment[], actor: Actor, options: { dryRun: boolean }) {
    return this.receivables.batch(
      payments,
      (payment, index) => `payment ${payment.id} (row ${index + 1})`,
      (payment) => this.application.record(payment, actor),
      {
        dryRun: options.dryRun,
        finish: (recorded) =>
          this.ledger.record(
            "payments.imported",
            { count: recorded.length, payments: payments.map((payment) => payment.id) },
            actor,
          ),
      },
    );
  }

  /** Undoes a matching group (letter): its invoices reopen, its payments become unapplied. */
  undoMatch(letter: string, actor: Actor) {
    return this.receivables.undoLetter(letter, actor);
  }

  /** Payments as recorded with their allocations; one customer's or all. */
  list(filter: { customer?: string } = {}) {
    return this.receivables.read.payments(filter);
  }

  /** One payment with its allocations; undefined when not recorded. */
  get(id: string) {
    return this.receivables.read.payment(id);
  }

  /** Credit not yet applied: payments and credit notes; one customer's or everyone's. */
  unapplied(customer?: string) {
    return this.receivables.read.unappliedCredits(customer);
  }
}
