import { z } from "zod";
import { CreditReasonSchema } from "../credit/sale.js";
import { DiscrepancySchema } from "../reconciliation/discrepancy.js";
import { AnalyticsAlertSchema } from "../valuation/alerts.js";
import { type WebhookEventType, WebhookEventTypeSchema } from "./types.js";

/**
 * What each webhook event carries in `data`. Amounts are integer minor
 * units of `currency`; dates are ISO 8601 (days as YYYY-MM-DD). Every
 * event that comes from a gateway-ledger entry names it (`ledgerSeq`), so
 * an auditor can find the signed record behind what the ERP was told.
 */
const Minor = z.number().int();
const LedgerSeq = z.number().int().positive();
const ActorSchema = z.strictObject({
  kind: z.enum(["token", "user", "system"]),
  id: z.string(),
});

/** An invoice (or credit note) recorded or revised, from the API, a file or the file drop. */
export const InvoiceImportedSchema = z.strictObject({
  number: z.string(),
  direction: z.enum(["customer", "supplier"]),
  type: z.enum(["invoice", "credit-note"]),
  customer: z.string().nullable(),
  supplier: z.string().nullable(),
  issueDate: z.string(),
  dueDate: z.string(),
  currency: z.string(),
  grossTotal: Minor,
  amountDue: Minor,
  orderRef: z.string().nullable(),
  /** The file format it came in: csv, ubl, cii, factur-x, json. */
  format: z.string(),
  /** true: a revision of an invoice recorded before (imported again with update). */
  updated: z.boolean(),
  by: ActorSchema,
  ledgerSeq: LedgerSeq,
});

/** One match of a lettering group: what part of which invoice it settled. */
export const LetteredAllocationSchema = z.strictObject({
  /** null: the unallocated part of a payment written off, against no invoice. */
  invoice: z.string().nullable(),
  amount: Minor,
  /** How it was matched: the invoice numbers in the label, the exact amount, oldest due first, a write-off under tolerance, a credit note. */
  rule: z.string(),
  source: z.enum(["payment", "credit-note", "write-off"]),
});

/**
 * A receipt (or credit note) matched to invoices: its letter, what it
 * settled, and what is left unapplied. The lettering status an ERP needs.
 */
export const PaymentAppliedSchema = z.strictObject({
  /** The payment id, or the credit note's number when `source` is credit-note. */
  payment: z.string(),
  source: z.enum(["payment", "credit-note"]),
  customer: z.string(),
  date: z.string(),
  amount: Minor,
  currency: z.string(),
  letter: z.string(),
  allocations: z.array(LetteredAllocationSchema),
  /** What the payment left unmatched (0 when fully lettered); null for a credit note, whose rest stays on the note. */
  unapplied: Minor.nullable(),
  status: z.enum(["lettered", "partly-lettered"]),
  by: ActorSchema,
  ledgerSeq: LedgerSeq,
});

/** A lettering group undone: its invoices reopen and its payments are unapplied again. */
export const AllocationUndoneSchema = z.strictObject({
  letter: z.string(),
  allocations: z.array(LetteredAllocationSchema),
  customers: z.array(z.string()),
  by: ActorSchema,
  ledgerSeq: LedgerSeq,
});

/**
 * A customer's credit standing changed in a way that changes the counters'
 * and orders' answers: exposure crossed the limit (either way), a counter
 * sold past it offline, the customer's limit or terms were changed, or a
 * dunning letter put the customer on hold.
 */
export const CreditChangedSchema = z.strictObject({
  customer: z.string(),
  /**
   * on-hold: a dunning letter at a level that blocks credit was sent;
   * hold-lifted: the thank-you letter after the customer paid it all.
   */
  change: z.enum([
    "over-limit",
    "within-limit",
    "exceeded-offline",
    "limit-changed",
    "on-hold",
    "hold-lifted",
  ]),
  /** Minor units; null when not part of this change. */
  exposure: Minor.nullable(),
  /** null: unlimited. */
  limit: Minor.nullable(),
  /** On limit-changed: the payment terms now (days); null otherwise. */
  paymentTermsDays: z.number().int().nullable(),
  by: ActorSchema,
  ledgerSeq: LedgerSeq,
});

/** A sales order held at entry by the credit rules, with the reasons. */
export const OrderHeldSchema = z.strictObject({
  order: z.string(),
  customer: z.string(),
  amount: Minor,
  currency: z.string(),
  reasons: z.array(CreditReasonSchema),
  by: ActorSchema,
  ledgerSeq: LedgerSeq,
});

/** A held order released: by a credit manager's override, or back within the rules. */
export const OrderReleasedSchema = z.strictObject({
  order: z.string(),
  customer: z.string(),
  override: z.boolean(),
  reason: z.string().nullable(),
  exposureBefore: Minor.nullable(),
  exposureAfter: Minor.nullable(),
  by: ActorSchema,
  ledgerSeq: LedgerSeq,
});

/** A discrepancy reconciliation found for the first time: the same shape as GET /reconciliation's items. */
export const DiscrepancyOpenedSchema = DiscrepancySchema;

/**
 * A discrepancy no longer found by a full reconciliation run. A gap that
 * changes (one more unit shipped) resolves and opens again under a new id.
 */
export const DiscrepancyResolvedSchema = z.strictObject({
  id: z.string(),
  kind: DiscrepancySchema.shape.kind,
  order: z.string().nullable(),
  customer: z.string().nullable(),
  sku: z.string().nullable(),
  openedAt: z.string(),
  resolvedAt: z.string(),
});

/** Book stock corrected by hand (a count, breakage, theft), with the reason. */
export const StockAdjustedSchema = z.strictObject({
  id: z.number().int(),
  sku: z.string(),
  zone: z.string().nullable(),
  delta: z.number().int(),
  reason: z.string(),
  by: ActorSchema,
  ledgerSeq: LedgerSeq,
});

/** A product whose stock fell to its reorder point: the analytics alert raised. */
export const ReorderTriggeredSchema = AnalyticsAlertSchema;

/** A sale under cost or under the product's margin floor: the analytics alert raised. */
export const MarginAlertSchema = AnalyticsAlertSchema;

/** A node that went offline (its last will, or its own goodbye). */
export const NodeOfflineSchema = z.strictObject({
  node: z.string(),
  /** The last ledger seq the gateway stored from it. */
  headSeq: z.number().int().nullable(),
  at: z.string(),
});

/** A node whose chain failed verification: the gateway stops taking its entries. */
export const NodeBrokenSchema = z.strictObject({
  node: z.string(),
  seq: z.number().int(),
  reason: z.string(),
  detail: z.string().nullable(),
  at: z.string(),
});

/** Each type's `data` schema: the contract, and the OpenAPI `webhooks` section. */
export const WEBHOOK_EVENT_SCHEMAS = {
  "invoice.imported": InvoiceImportedSchema.describe(
    "an invoice or credit note recorded or revised (API, file, file drop)",
  ),
  "payment.applied": PaymentAppliedSchema.describe(
    "a receipt or credit note matched to invoices: its letter, what it settled, what is left",
  ),
  "allocation.undone": AllocationUndoneSchema.describe(
    "a lettering group undone: its invoices reopen",
  ),
  "credit.changed": CreditChangedSchema.describe(
    "exposure crossed the credit limit (either way), a counter sold past it offline, or the limit or terms changed",
  ),
  "order.held": OrderHeldSchema.describe("a sales order held at entry by the credit rules"),
  "order.released": OrderReleasedSchema.describe(
    "a held order released, by override or back within the rules",
  ),
  "discrepancy.opened": DiscrepancyOpenedSchema.describe(
    "a discrepancy reconciliation found for the first time",
  ),
  "discrepancy.resolved": DiscrepancyResolvedSchema.describe(
    "a discrepancy a complete reconciliation run no longer finds",
  ),
  "stock.adjusted": StockAdjustedSchema.describe("book stock corrected by hand, with the reason"),
  "reorder.triggered": ReorderTriggeredSchema.describe(
    "a product's stock fell to its reorder point",
  ),
  "margin.alert": MarginAlertSchema.describe("a sale under cost or under the margin floor"),
  "node.offline": NodeOfflineSchema.describe("a node went offline"),
  "node.broken": NodeBrokenSchema.describe(
    "a node's chain failed verification; nothing after the break is stored",
  ),
} as const satisfies Record<WebhookEventType, z.ZodType>;

export type WebhookEventData = {
  [T in WebhookEventType]: z.infer<(typeof WEBHOOK_EVENT_SCHEMAS)[T]>;
};

/** What a receiver gets as the POST body. */
export const WebhookEnvelopeSchema = z.strictObject({
  /** Stable across retries and restarts; the same as the Idempotency-Key header. */
  id: z.string(),
  type: WebhookEventTypeSchema,
  /** When the change committed (ISO 8601 UTC). */
  occurredAt: z.string(),
  data: z.unknown(),
});
export type WebhookEnvelope = z.infer<typeof WebhookEnvelopeSchema>;
