import { z } from "zod";
import { CurrencySchema, MAX_MINOR_UNITS, safeSum } from "../money.js";
import { TopicIdSchema } from "../mqtt/topics.js";
import { GtinSchema, SkuSchema } from "../stock/events.js";

/**
 * An invoice as Comptoir keeps it, whatever file it came from (JSON, CSV,
 * UBL 2.1, CII/Factur-X). Field comments give the EN 16931 business term.
 * Amounts are integers of minor units of `currency`; credit notes carry
 * positive amounts and reduce the balance because of their type.
 */

const MinorUnitsSchema = z
  .number()
  .int("must be an integer of minor units (cents), not a decimal")
  .refine(Number.isSafeInteger, "is out of range");

export const IsoDateSchema = z.iso.date();

export const InvoiceLineSchema = z.strictObject({
  /** BT-126 */
  id: z.string().min(1).max(64),
  /** BT-157 with scheme 0160 */
  gtin: GtinSchema.optional(),
  /** BT-155 */
  sku: SkuSchema.optional(),
  /** BT-153 */
  name: z.string().max(300).optional(),
  /** BT-129: may be fractional (kilograms, metres). */
  quantity: z.number().finite(),
  /** BT-130, UN/ECE Rec 20 (C62 = one). */
  unitCode: z.string().max(8).optional(),
  /** BT-146 ÷ BT-149, in minor units; may be rounded from a 4-decimal price. */
  unitPrice: MinorUnitsSchema,
  /** BT-131 */
  netAmount: MinorUnitsSchema,
  /** BT-152, percent */
  vatRate: z.number().min(0).max(100).optional(),
});
export type InvoiceLine = z.infer<typeof InvoiceLineSchema>;

export const InstalmentSchema = z.strictObject({
  dueDate: IsoDateSchema,
  amount: MinorUnitsSchema,
});

export const InvoiceSchema = z
  .strictObject({
    /** BT-1: unique per seller. */
    number: z.string().min(1).max(64),
    /** Customer invoices are receivables; supplier invoices match receipts. */
    direction: z.enum(["customer", "supplier"]),
    /** BT-3: 380 invoice, 381 credit note. */
    type: z.enum(["invoice", "credit-note"]),
    /** BT-2 */
    issueDate: IsoDateSchema,
    /** BT-9; defaults from the customer's payment terms when absent. */
    dueDate: IsoDateSchema.optional(),
    /** BT-20 */
    terms: z.string().max(300).optional(),
    /** BT-5 */
    currency: CurrencySchema,
    /** Customer invoices: our customer id (matched from BT-46 or BT-44 on import). */
    customer: TopicIdSchema.optional(),
    /** Supplier invoices: the seller's name or id (BT-27/BT-29). */
    supplier: z.string().min(1).max(200).optional(),
    /** BT-13: a sales order, a dock order, or a counter sale id. */
    orderRef: z.string().min(1).max(64).optional(),
    /** BT-16 */
    despatchRef: z.string().min(1).max(64).optional(),
    /** BT-25: credit notes name the invoice they correct. */
    precedingInvoice: z.string().min(1).max(64).optional(),
    /** Empty for MINIMUM and BASIC WL profiles: usable for receivables, not for stock. */
    lines: z.array(InvoiceLineSchema).max(10_000),
    /** BT-109 */
    netTotal: MinorUnitsSchema,
    /** BT-110 */
    vatTotal: MinorUnitsSchema,
    /** BT-112 */
    grossTotal: MinorUnitsSchema,
    /** BT-113 */
    prepaid: MinorUnitsSchema.default(0),
    /** BT-115: what the buyer owes. */
    amountDue: MinorUnitsSchema,
    /** Split payment terms: each instalment is aged on its own. */
    instalments: z.array(InstalmentSchema).max(60).optional(),
    /** Where it came from: format and, for CII, the profile. */
    source: z
      .strictObject({
        format: z.enum(["json", "csv", "ubl", "cii", "facturx-pdf"]),
        profile: z.string().max(100).optional(),
      })
      .optional(),
  })
  .superRefine((invoice, ctx) => {
    if (invoice.direction === "customer" && !invoice.customer) {
      ctx.addIssue({
        code: "custom",
        path: ["customer"],
        message: "is required on a customer invoice",
      });
    }
    if (invoice.direction === "supplier" && !invoice.supplier) {
      ctx.addIssue({
        code: "custom",
        path: ["supplier"],
        message: "is required on a supplier invoice",
      });
    }
    if (invoice.type === "credit-note" && !invoice.precedingInvoice) {
      ctx.addIssue({
        code: "custom",
        path: ["precedingInvoice"],
        message: "is required on a credit note (BT-25)",
      });
    }
    // Sums past 2^53 − 1 are no longer exact: refuse them rather than compare rounded totals.
    const tooLarge = (path: string, what: string) =>
      ctx.addIssue({
        code: "custom",
        path: [path],
        message: `${what} add up to more than ${MAX_MINOR_UNITS} minor units, beyond what is kept exactly — split the invoice`,
      });
    if (safeSum(invoice.lines.map((line) => line.netAmount)) === undefined)
      tooLarge("lines", "the line amounts");
    if (safeSum([invoice.netTotal, invoice.vatTotal]) === undefined)
      tooLarge("grossTotal", "net and VAT totals");
    if (safeSum([invoice.grossTotal, -invoice.prepaid]) === undefined)
      tooLarge("amountDue", "the total less prepaid");
    if (invoice.instalments) {
      const sum = safeSum(invoice.instalments.map((part) => part.amount));
      if (sum === undefined) tooLarge("instalments", "the instalments");
      else if (sum !== invoice.amountDue) {
        ctx.addIssue({
          code: "custom",
          path: ["instalments"],
          message: `add up to ${sum}, not the amount due ${invoice.amountDue}`,
        });
      }
    }
  });
export type Invoice = z.infer<typeof InvoiceSchema>;
export type InvoiceInput = z.input<typeof InvoiceSchema>;

/** A payment received (customers) as a bank export or the accounting software reports it. */
export const PaymentSchema = z.strictObject({
  /** The bank's or the accounting software's id; a second payment with the same id is a duplicate. */
  id: z.string().min(1).max(64),
  date: IsoDateSchema,
  amount: MinorUnitsSchema.refine((amount) => amount > 0, "must be positive"),
  currency: CurrencySchema,
  /** The bank label: invoice numbers found in it are matched first. */
  label: z.string().max(500).default(""),
  reference: z.string().max(140).optional(),
  /** Our customer id when known; otherwise the payer's name to match on. */
  customer: TopicIdSchema.optional(),
  payer: z.string().max(200).optional(),
});
export type Payment = z.infer<typeof PaymentSchema>;
export type PaymentInput = z.input<typeof PaymentSchema>;
