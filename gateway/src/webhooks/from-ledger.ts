import type {
  CreditReason,
  Invoice,
  LedgerEntry,
  Payment,
  WebhookEventData,
  WebhookEventType,
} from "@comptoir/contracts";
import type { Database } from "better-sqlite3";
import type { Actor } from "../ledger/gateway-ledger.js";
import type { AllocationRecord } from "../receivables/queries.js";

/** One event to send: its type and its data, as the contract describes it. */
export type WebhookEvent = {
  [T in WebhookEventType]: { type: T; data: WebhookEventData[T] };
}[WebhookEventType];

type Allocation = WebhookEventData["payment.applied"]["allocations"][number];

/**
 * The webhook events a gateway-ledger entry stands for. Most business facts
 * the ERP wants back are already recorded there, each inside the
 * transaction of its change: reading them as they are recorded is what
 * puts an event in the outbox in that same transaction. `db` is that
 * transaction's connection, for the few facts the entry names by id only.
 */
export function eventsOfEntry(entry: LedgerEntry, db: Database): WebhookEvent[] {
  const data = entry.data as Record<string, unknown> & { by: Actor };
  const by = data.by;
  const ledgerSeq = entry.seq;
  switch (entry.type) {
    case "invoice.recorded":
    case "invoice.updated":
      return invoiceEvents(entry, by);
    case "payment.recorded":
      return paymentEvents(data as unknown as PaymentEntry, by, ledgerSeq);
    case "allocation.undone": {
      const { letter, allocations, customers } = data as unknown as UndoneEntry;
      return [
        {
          type: "allocation.undone",
          data: { letter, allocations: allocationsById(db, allocations), customers, by, ledgerSeq },
        },
      ];
    }
    case "credit.over-limit":
    case "credit.within-limit":
    case "credit.limit-exceeded-offline": {
      const { customer, exposure, limit } = data as unknown as CreditEntry;
      const change =
        entry.type === "credit.over-limit"
          ? "over-limit"
          : entry.type === "credit.within-limit"
            ? "within-limit"
            : "exceeded-offline";
      return [
        {
          type: "credit.changed",
          data: {
            customer,
            change,
            exposure,
            limit,
            paymentTermsDays: null,
            by,
            ledgerSeq,
          },
        },
      ];
    }
    case "dunning.sent": {
      const letter = data as unknown as DunningEntry;
      const change = letter.blockCredit
        ? "on-hold"
        : letter.kind === "thank-you" && wasOnHold(db, letter)
          ? "hold-lifted"
          : undefined;
      if (!change) return [];
      return [
        {
          type: "credit.changed",
          data: {
            customer: letter.customer,
            change,
            exposure: null,
            limit: null,
            paymentTermsDays: null,
            by,
            ledgerSeq,
          },
        },
      ];
    }
    case "customer.changed":
      return customerChanged(data as unknown as CustomerEntry, by, ledgerSeq);
    case "order.placed": {
      const placed = data as unknown as PlacedEntry;
      if (placed.state !== "held") return [];
      return [
        {
          type: "order.held",
          data: {
            order: placed.order,
            customer: placed.customer,
            amount: placed.amount,
            currency: placed.currency,
            reasons: placed.reasons,
            by,
            ledgerSeq,
          },
        },
      ];
    }
    case "order.released": {
      const released = data as unknown as ReleasedEntry;
      return [
        {
          type: "order.released",
          data: {
            order: released.order,
            customer: released.customer,
            override: released.override === true,
            reason: released.reason ?? null,
            exposureBefore: released.exposureBefore ?? null,
            exposureAfter: released.exposureAfter ?? null,
            by,
            ledgerSeq,
          },
        },
      ];
    }
    case "stock.adjusted": {
      const { adjustment } = data as unknown as AdjustedEntry;
      return [{ type: "stock.adjusted", data: { ...adjustment, by, ledgerSeq } }];
    }
    default:
      return [];
  }
}

interface PaymentEntry {
  payment: Payment;
  customer: string | null;
  letter: string | null;
  allocations: AllocationRecord[];
  unapplied: number;
}
interface DunningEntry {
  letter: string;
  customer: string;
  kind: "reminder" | "thank-you";
  blockCredit: boolean;
}
interface UndoneEntry {
  letter: string;
  allocations: number[];
  customers: string[];
}
interface CreditEntry {
  customer: string;
  exposure: number;
  limit: number | null;
}
type CreditLimit = { amount: number; currency: string } | "unlimited";
interface CustomerEntry {
  customer: { id: string; creditLimit: CreditLimit; paymentTermsDays: number };
  before?: { creditLimit: CreditLimit; paymentTermsDays: number };
}
interface PlacedEntry {
  order: string;
  customer: string;
  amount: number;
  currency: string;
  state: "approved" | "held";
  reasons: CreditReason[];
}
interface ReleasedEntry {
  order: string;
  customer: string;
  override?: boolean;
  reason?: string;
  exposureBefore?: number;
  exposureAfter?: number;
}
interface AdjustedEntry {
  adjustment: { id: number; sku: string; zone: string | null; delta: number; reason: string };
}

function invoiceEvents(entry: LedgerEntry, by: Actor): WebhookEvent[] {
  const { invoice, dueDate, allocations } = entry.data as {
    invoice: Invoice;
    dueDate: string;
    allocations?: AllocationRecord[];
  };
  const events: WebhookEvent[] = [
    {
      type: "invoice.imported",
      data: {
        number: invoice.number,
        direction: invoice.direction,
        type: invoice.type,
        customer: invoice.customer ?? null,
        supplier: invoice.supplier ?? null,
        issueDate: invoice.issueDate,
        dueDate,
        currency: invoice.currency,
        grossTotal: invoice.grossTotal,
        amountDue: invoice.amountDue,
        orderRef: invoice.orderRef ?? null,
        format: invoice.source?.format ?? "json",
        updated: entry.type === "invoice.updated",
        by,
        ledgerSeq: entry.seq,
      },
    },
  ];
  // A credit note lettered against the invoice it names (either arriving first).
  for (const [letter, group] of byLetter(allocations ?? [])) {
    const first = group[0] as AllocationRecord;
    events.push({
      type: "payment.applied",
      data: {
        payment: first.sourceId,
        source: "credit-note",
        customer: invoice.customer ?? "",
        date: first.at.slice(0, 10),
        amount: group.reduce((sum, allocation) => sum + allocation.amount, 0),
        currency: invoice.currency,
        letter,
        allocations: group.map(lettered),
        unapplied: null,
        status: "lettered",
        by,
        ledgerSeq: entry.seq,
      },
    });
  }
  return events;
}

function paymentEvents(entry: PaymentEntry, by: Actor, ledgerSeq: number): WebhookEvent[] {
  // A receipt matched to nothing is not lettered: the ERP learns of it when it is.
  if (entry.letter === null || entry.allocations.length === 0 || entry.customer === null) return [];
  return [
    {
      type: "payment.applied",
      data: {
        payment: entry.payment.id,
        source: "payment",
        customer: entry.customer,
        date: entry.payment.date,
        amount: entry.payment.amount,
        currency: entry.payment.currency,
        letter: entry.letter,
        allocations: entry.allocations.map(lettered),
        unapplied: entry.unapplied,
        status: entry.unapplied === 0 ? "lettered" : "partly-lettered",
        by,
        ledgerSeq,
      },
    },
  ];
}

function customerChanged(entry: CustomerEntry, by: Actor, ledgerSeq: number): WebhookEvent[] {
  const { customer, before } = entry;
  if (
    before &&
    JSON.stringify(before.creditLimit) === JSON.stringify(customer.creditLimit) &&
    before.paymentTermsDays === customer.paymentTermsDays
  )
    return [];
  return [
    {
      type: "credit.changed",
      data: {
        customer: customer.id,
        change: "limit-changed",
        exposure: null,
        limit: customer.creditLimit === "unlimited" ? null : customer.creditLimit.amount,
        paymentTermsDays: customer.paymentTermsDays,
        by,
        ledgerSeq,
      },
    },
  ];
}

function lettered(allocation: AllocationRecord): Allocation {
  return {
    invoice: allocation.invoice,
    amount: allocation.amount,
    rule: allocation.rule,
    source: allocation.source,
  };
}

function byLetter(allocations: readonly AllocationRecord[]): Map<string, AllocationRecord[]> {
  const groups = new Map<string, AllocationRecord[]>();
  for (const allocation of allocations) {
    const group = groups.get(allocation.letter) ?? [];
    group.push(allocation);
    groups.set(allocation.letter, group);
  }
  return groups;
}

/** The matches an undo names by row id, as they were. */
function allocationsById(db: Database, ids: readonly number[]): Allocation[] {
  if (ids.length === 0) return [];
  return db
    .prepare<number[], Allocation>(
      `SELECT invoice, amount, rule, source FROM allocations WHERE id IN (${ids.map(() => "?").join(",")}) ORDER BY id`,
    )
    .all(...ids);
}

/** A thank-you lifts a hold when the customer's letter before it blocked credit. */
function wasOnHold(db: Database, letter: DunningEntry): boolean {
  const before = db
    .prepare<[string, string], { block_credit: number }>(
      `SELECT block_credit FROM dunning_letters WHERE customer = ? AND id != ?
       ORDER BY sent_at DESC, rowid DESC LIMIT 1`,
    )
    .get(letter.customer, letter.letter);
  return before?.block_credit === 1;
}
