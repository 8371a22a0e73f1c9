import type { Invoice } from "@comptoir/contracts";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { InvoiceCursor } from "../receivables/invoice-cursor.js";
import type { Receivables } from "../receivables/receivables.js";

export interface InvoiceImportOptions {
  dryRun: boolean;
  /** Replace invoices already recorded (each its own "invoice.updated" entry). */
  update: boolean;
  /** The file's format, for the "invoices.imported" entry. */
  format: string;
  notes: string[];
}

/**
 * Where invoices and credit notes are recorded, one (POST /invoices) or a
 * file of them (POST /invoices/import, `comptoir import invoices`), by the
 * same `Receivables.recordInvoice`. The credit snapshot publisher hears of
 * every committed change from the receivables' change feed.
 */
export class Invoices {
  constructor(
    private readonly receivables: Receivables,
    private readonly ledger: GatewayLedger,
  ) {}

  /** Records one invoice or credit note; `update` replaces one already recorded. */
  record(input: unknown, actor: Actor, options: { update?: boolean } = {}) {
    return this.receivables.recordInvoice(input, actor, options);
  }

  /**
   * Records a file's invoices in one transaction, all or nothing (throws
   * `ImportRefused` listing every refusal), with its "invoices.imported"
   * entry. A dry run checks all of it and stores nothing.
   */
  import(invoices: readonly Invoice[], actor: Actor, options: InvoiceImportOptions) {
    return this.receivables.batch(
      invoices,
      (invoice) => `invoice ${invoice.number}`,
      (invoice) => this.receivables.recordInvoice(invoice, actor, { update: options.update }),
      {
        dryRun: options.dryRun,
        finish: (recorded) =>
          this.ledger.record(
            "invoices.imported",
            {
              format: options.format,
              count: recorded.length,
              invoices: invoices.map((invoice) => invoice.number),
              notes: options.notes,
            },
            actor,
          ),
      },
    );
  }

  /** One page of invoices, newest first (keyset paging). */
  page(
    filter: Parameters<Receivables["read"]["invoicePage"]>[0],
    page: { limit: number; before?: InvoiceCursor },
  ) {
    return this.receivables.read.invoicePage(filter, page);
  }
}
