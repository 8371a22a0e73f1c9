import { decodeUtf8, type InputProblem } from "@comptoir/contracts";
import type { CreditService } from "../credit/service.js";
import { readInvoiceFile, recordInvoiceFile } from "../file-imports/invoices.js";
import { orderFileParsers } from "../file-imports/orders.js";
import { paymentFileParsers } from "../file-imports/payments.js";
import type { FileFormat } from "../file-readers/format.js";
import type { Actor } from "../ledger/gateway-ledger.js";
import {
  importCustomers,
  importProducts,
  type MasterDataDeps,
  type MasterDataOutcome,
  MasterDataRefusedError,
  type MasterDataRequest,
} from "../master-data/index.js";
import { OrderRefused } from "../orders/resolve.js";
import type { OrderService } from "../orders/service.js";
import { ImportRefused } from "../receivables/batch.js";
import type { InboundKind } from "./layout.js";

/** A file read whole and found sound: what it holds, and how to store it (in the caller's transaction). */
export interface ReadyFile {
  ok: true;
  /** The format recorded (e.g. `ubl`, `cii`, `facturx-pdf`, `csv`). */
  format: string;
  /** How many records it holds (invoices, payments, orders…). */
  count: number;
  notes: string[];
  /** Stores every record, all or nothing; a refusal is thrown as one of `refusals`. */
  store(actor: Actor): void;
}

export type ReadOutcome = ReadyFile | { ok: false; problems: InputProblem[] };

/** How one inbound folder's files are read and stored: the same code as its API import. */
export interface KindImporter {
  /** The formats the folder reads, by file extension. */
  formats: readonly FileFormat[];
  read(bytes: Uint8Array, format: FileFormat): Promise<ReadOutcome>;
  /** The errors `store` throws for a file the rules refuse (every problem listed, nothing stored). */
  refusals: readonly (abstract new (
    ...args: never[]
  ) => Error & { problems: InputProblem[] })[];
}

/** Text files must be UTF-8, as for the API: a Latin-1 export is refused at its first bad byte. */
function utf8(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; problems: InputProblem[] } {
  const decoded = decodeUtf8(bytes);
  if (decoded.ok) return decoded;
  const where = `line ${decoded.line}`;
  return {
    ok: false,
    problems: [
      {
        path: where,
        message: `the file is not valid UTF-8 at ${where} (byte offset ${decoded.offset}) — save it as UTF-8`,
      },
    ],
  };
}

/**
 * Customers or products (master-data/): checked by a dry run when read
 * (every problem, and what would be created, updated or left alone), then
 * imported for real inside the drop's transaction, where a refusal (the
 * store changed since) is thrown and rolls the file's row back with it.
 */
function masterDataImporter(
  deps: MasterDataDeps,
  importFile: (deps: MasterDataDeps, request: MasterDataRequest) => MasterDataOutcome,
): KindImporter {
  return {
    formats: ["csv", "json"],
    refusals: [MasterDataRefusedError],
    async read(bytes, format) {
      const text = utf8(bytes);
      if (!text.ok) return text;
      const file = { text: text.text, format: format === "csv" ? "csv" : "json" } as const;
      const checked = importFile(deps, {
        ...file,
        dryRun: true,
        actor: { kind: "system", id: "file-drop" },
      });
      if (!checked.ok) return { ok: false, problems: checked.problems };
      const { created, updated, unchanged } = checked;
      return {
        ok: true,
        format: file.format,
        count: created.length + updated.length,
        notes: [
          `${created.length} created, ${updated.length} updated, ${unchanged.length} unchanged`,
        ],
        store(actor) {
          const outcome = importFile(deps, { ...file, dryRun: false, actor });
          if (!outcome.ok) throw new MasterDataRefusedError(outcome);
        },
      };
    },
  };
}

/** The importers of the kinds this gateway can take; a kind without one waits in its folder. */
export function kindImporters(deps: {
  credit: CreditService;
  orders: OrderService;
}): Partial<Record<InboundKind, KindImporter>> {
  const { credit, orders } = deps;
  const masterData: MasterDataDeps = { catalog: credit.catalog, currency: credit.currency };
  const csvOrJson = (format: FileFormat): "csv" | "json" => (format === "csv" ? "csv" : "json");
  return {
    customers: masterDataImporter(masterData, importCustomers),
    products: masterDataImporter(masterData, importProducts),
    invoices: {
      formats: ["csv", "xml", "json", "pdf"],
      refusals: [ImportRefused],
      async read(bytes, format) {
        let parsed: Awaited<ReturnType<typeof readInvoiceFile>>;
        if (format === "pdf") {
          parsed = await readInvoiceFile({ format, bytes }, credit.catalog, "customer");
        } else {
          const text = utf8(bytes);
          if (!text.ok) return text;
          parsed = await readInvoiceFile({ format, text: text.text }, credit.catalog, "customer");
        }
        if (!parsed.ok) return parsed;
        const { items, notes } = parsed;
        return {
          ok: true,
          format: items[0]?.source?.format ?? format,
          count: items.length,
          notes,
          store: (actor) => {
            recordInvoiceFile(credit, parsed, actor, { dryRun: false, update: false, format });
          },
        };
      },
    },
    payments: {
      formats: ["csv", "json"],
      refusals: [ImportRefused],
      async read(bytes, format) {
        const text = utf8(bytes);
        if (!text.ok) return text;
        const parsed = paymentFileParsers(credit.currency)[csvOrJson(format)](text.text);
        if (!parsed.ok) return parsed;
        return {
          ok: true,
          format,
          count: parsed.items.length,
          notes: parsed.notes,
          store: (actor) => {
            credit.payments.import(parsed.items, actor, { dryRun: false });
          },
        };
      },
    },
    orders: {
      formats: ["csv", "json"],
      refusals: [OrderRefused],
      async read(bytes, format) {
        const text = utf8(bytes);
        if (!text.ok) return text;
        const parsed = orderFileParsers(credit.currency)[csvOrJson(format)](text.text);
        if (!parsed.ok) return parsed;
        return {
          ok: true,
          format,
          count: parsed.orders.length,
          notes: [],
          store: (actor) => {
            // place() announces the orders once its own (here nested) transaction ends: only the
            // drop's commit follows, the file's row having been written before the import.
            orders.place(parsed.orders, actor, { locate: parsed.locate });
          },
        };
      },
    },
  };
}
