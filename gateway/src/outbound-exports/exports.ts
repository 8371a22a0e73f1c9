import type { Clock, Logger } from "@comptoir/contracts";
import { silentLogger } from "@comptoir/contracts";
import type { OutboundExportKind } from "@comptoir/firmware-config";
import type { Catalog } from "../catalog/service.js";
import { agingCsv, discrepanciesCsv } from "../receivables-reports/exports.js";
import { agingReport } from "../receivables-reports/service.js";
import { runReconciliation } from "../reconciliation/service.js";
import type { Store } from "../store/store.js";
import { valuationReport } from "../valuation/reports.js";
import type { ValuationService } from "../valuation/service.js";
import { valuationCsv } from "../valuation/valuation-csv.js";
import { OutboundFolder } from "./outbound-folder.js";
import { PaymentLettersExport } from "./payment-letters.js";

export interface OutboundExportsDeps {
  store: Store;
  catalog: Catalog;
  valuation: ValuationService;
  /** The currency receivables are kept in (`credit.currency`). */
  currency: string;
  /** `<fileDrop.directory>/outbound`, resolved. */
  directory: string;
  /** The site's day for the aged balance: `gateway.timeZone`. */
  dateOf: (now: Date) => string;
  clock: Clock;
  logger?: Logger;
}

/** One file written: its name and what it holds, in a few words. */
export interface ExportedFile {
  kind: OutboundExportKind;
  file: string;
  rows: number;
}

/**
 * The CSV files the ERP collects from `<fileDrop.directory>/outbound/`, by
 * the same writers as the API's `?format=csv`: the payment letters since
 * the previous export (exactly once, see PaymentLettersExport), and three
 * snapshots at the time of the run — the aged balance (by due date, as of
 * the site's day), the reconciliation's discrepancies, the stock value by
 * the site's method. A snapshot is a new file each run: one repeated after a
 * crash is one more file, never a changed one.
 */
export class OutboundExports {
  readonly folder: OutboundFolder;
  private readonly letters: PaymentLettersExport;
  private readonly log: Logger;

  constructor(private readonly deps: OutboundExportsDeps) {
    this.folder = new OutboundFolder(deps.directory);
    this.letters = new PaymentLettersExport(deps.store.db, deps.currency);
    this.log = (deps.logger ?? silentLogger).child({ module: "outbound-exports" });
  }

  /** Writes each kind; one failing does not stop the others, and the first failure is thrown at the end. */
  async run(kinds: readonly OutboundExportKind[]): Promise<ExportedFile[]> {
    const written: ExportedFile[] = [];
    const failures: string[] = [];
    for (const kind of new Set(kinds)) {
      try {
        written.push(await this.export(kind));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.log.error({ err: error, kind }, "export not written");
        failures.push(`${kind}: ${message}`);
      }
    }
    if (failures.length > 0) {
      const done = written.map((file) => file.file).join(", ") || "none";
      throw new Error(`${failures.join("; ")} (written: ${done})`);
    }
    return written;
  }

  async export(kind: OutboundExportKind): Promise<ExportedFile> {
    const at = this.deps.clock.now();
    if (kind === "payment-letters") {
      const { file, rows } = await this.letters.run(this.folder, at);
      return { kind, file, rows };
    }
    // A snapshot cut short by a stop left its temp file: nothing refers to it.
    for (const name of await this.folder.leftTemps(kind)) await this.folder.removeTemp(name);
    const { content, rows } = this.snapshot(kind, at);
    const file = this.folder.nameFor(kind, at);
    await this.folder.write(file, content);
    return { kind, file, rows };
  }

  private snapshot(
    kind: Exclude<OutboundExportKind, "payment-letters">,
    at: Date,
  ): { content: string; rows: number } {
    const { store, catalog, valuation, currency } = this.deps;
    switch (kind) {
      case "aged-balance": {
        const report = agingReport(store.db, this.deps.dateOf(at), "due", currency);
        return { content: agingCsv(report), rows: report.customers.length };
      }
      case "reconciliation": {
        const report = runReconciliation(store, catalog, { now: at });
        return {
          content: discrepanciesCsv(report.discrepancies, currency),
          rows: report.discrepancies.length,
        };
      }
      case "valuation": {
        const report = valuationReport(valuation.book(), {
          asOf: undefined,
          now: at.toISOString(),
          method: valuation.method,
          currency,
          names: (sku) => catalog.nameOf(sku) ?? sku,
          unvalued: valuation.unvalued(),
        });
        return { content: valuationCsv(report), rows: report.rows.length };
      }
    }
  }
}
