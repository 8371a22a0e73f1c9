import { join } from "node:path";
import {
  type Catalog,
  CatalogSchema,
  type CreditSnapshot,
  CreditSnapshotSchema,
  type LedgerEntry,
  type Logger,
  SALE_TYPE,
  SaleDataSchema,
  silentLogger,
} from "@comptoir/contracts";
import { z } from "zod";
import { CoalescedWrites } from "../stock/coalesced-writes.js";
import { DurableJsonFile } from "../stock/durable-json-file.js";
import { type PendingSale, PendingSales } from "./pending.js";

const CacheFileSchema = z.object({
  snapshots: z.array(CreditSnapshotSchema),
  catalog: CatalogSchema.nullable(),
  pending: z.array(
    z.object({
      id: z.string(),
      seq: z.number().int().min(1),
      customer: z.string(),
      amount: z.number().int(),
      at: z.string(),
      coverVersion: z.number().int().nullable(),
    }),
  ),
  /** Every sale entry up to this ledger seq is in `pending` (or was covered). */
  salesThrough: z.number().int().min(0),
});
type CacheFile = z.infer<typeof CacheFileSchema>;

/** What the cache reads back from the ledger on start: sale entries after `salesThrough`. */
export interface CacheLedger {
  readFrom(seq: number): AsyncIterable<LedgerEntry>;
}

/**
 * The counter's view of credit: the retained snapshots and the catalog
 * received from the gateway, and the node's own pending on-account sales.
 * Kept in `pos-cache.json` (tmp → fsync → rename), so that a node that
 * restarts while cut off still decides. Sales are also rebuilt from the
 * ledger on start, so a crash between a sale and the file write loses none.
 */
export class PosCache {
  private readonly snapshots = new Map<string, CreditSnapshot>();
  private catalogValue: Catalog | null = null;
  private readonly pending: PendingSales;
  private salesThrough: number;
  private readonly writes: CoalescedWrites<CacheFile>;
  private readonly log: Logger;

  private constructor(file: DurableJsonFile<unknown>, data: CacheFile, logger: Logger) {
    this.writes = new CoalescedWrites(
      file,
      (): CacheFile => ({
        snapshots: [...this.snapshots.values()],
        catalog: this.catalogValue,
        pending: this.pending.all(),
        salesThrough: this.salesThrough,
      }),
      (error) =>
        // The ledger still holds every sale; the snapshots come back retained on the next connect.
        this.log.error({ err: error }, "could not write the POS cache"),
    );
    this.log = logger;
    for (const snapshot of data.snapshots) this.snapshots.set(snapshot.customer, snapshot);
    this.catalogValue = data.catalog;
    this.pending = new PendingSales(data.pending);
    this.salesThrough = data.salesThrough;
  }

  static async open(dataDir: string, ledger: CacheLedger, logger: Logger = silentLogger) {
    const log = logger.child({ module: "pos:cache" });
    const path = join(dataDir, "pos-cache.json");
    const file = new DurableJsonFile<unknown>(path);
    const raw = await file.read();
    const parsed = CacheFileSchema.safeParse(raw);
    if (raw !== null && !parsed.success)
      log.warn(
        { file: path },
        "POS cache unreadable; starting without credit data until the gateway sends it",
      );
    const data: CacheFile = parsed.success
      ? parsed.data
      : { snapshots: [], catalog: null, pending: [], salesThrough: 0 };
    const cache = new PosCache(file, data, log);
    let replayed = 0;
    for await (const entry of ledger.readFrom(data.salesThrough + 1)) {
      if (cache.noteEntry(entry)) replayed++;
      cache.salesThrough = entry.seq;
    }
    if (replayed > 0)
      log.info({ replayed }, "on-account sales found in the ledger after the cache");
    await cache.writes.save();
    return cache;
  }

  snapshot(customer: string): CreditSnapshot | undefined {
    return this.snapshots.get(customer);
  }

  customers(): CreditSnapshot[] {
    return [...this.snapshots.values()];
  }

  catalog(): Catalog | null {
    return this.catalogValue;
  }

  pendingOf(customer: string): PendingSale[] {
    return this.pending.of(customer);
  }

  pendingTotal(customer: string): number {
    return this.pending.total(customer);
  }

  /** A validated snapshot from the broker. Returns false when it is older than the one held. */
  putSnapshot(snapshot: CreditSnapshot): boolean {
    const held = this.snapshots.get(snapshot.customer);
    if (held && snapshot.version < held.version) {
      this.log.info(
        { customer: snapshot.customer, held: held.version, got: snapshot.version },
        "older credit snapshot ignored",
      );
      return false;
    }
    this.snapshots.set(snapshot.customer, snapshot);
    this.pending.snapshot(snapshot.customer, snapshot.version);
    this.writes.schedule();
    return true;
  }

  putCatalog(catalog: Catalog): boolean {
    if (this.catalogValue && catalog.version < this.catalogValue.version) return false;
    this.catalogValue = catalog;
    this.writes.schedule();
    return true;
  }

  /** The gateway stored this node's ledger up to `seq`. */
  acknowledged(seq: number): void {
    const changed = this.pending.acknowledged(seq, (c) => this.snapshots.get(c)?.version ?? -1);
    if (changed) this.writes.schedule();
  }

  /** Every entry this node records: on-account sales become pending. Returns true for such a sale. */
  noteEntry(entry: LedgerEntry): boolean {
    if (entry.type !== SALE_TYPE) return false;
    const sale = SaleDataSchema.safeParse(entry.data);
    if (!sale.success || sale.data.payment !== "account" || !sale.data.customer) return false;
    this.pending.add({
      id: sale.data.id,
      seq: entry.seq,
      customer: sale.data.customer,
      amount: sale.data.total,
      at: sale.data.at,
    });
    this.salesThrough = Math.max(this.salesThrough, entry.seq);
    this.writes.schedule();
    return true;
  }

  /** Waits for the last scheduled write. */
  flush(): Promise<void> {
    return this.writes.flush();
  }
}
