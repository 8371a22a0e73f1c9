import {
  type Logger,
  StockProjection,
  type StockSnapshot,
  silentLogger,
} from "@comptoir/contracts";
import { Low } from "lowdb";
import { z } from "zod";
import type { Ledger } from "../ledger/ledger.js";
import { DurableJsonFile } from "./durable-json-file.js";

const SnapshotFileSchema = z.object({
  /** The hash of the entry at `stock.seq`: proves the snapshot belongs to this very ledger. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  stock: z.object({
    seq: z.number().int().min(0),
    tags: z.array(
      z.tuple([z.string(), z.object({ sku: z.string().nullable(), zone: z.string().nullable() })]),
    ),
  }),
});
type SnapshotFile = z.infer<typeof SnapshotFileSchema>;

export interface StockStoreOptions {
  path: string;
  /** Write a snapshot after this many entries… */
  everyEntries?: number;
  /**
   * …or this long after the first entry not covered by one: 10 minutes by
   * default. The snapshot is the whole stock rewritten (about 90 bytes a
   * tag): every 30 s, a shelf of 2 000 tags wrote about half a gigabyte a
   * day to its SD card for it (bench wear). A restart replays at most
   * `everyEntries` whatever the interval.
   */
  everyMs?: number;
  logger?: Logger;
}

/**
 * The node's stock, a projection of its ledger, with a snapshot (lowdb,
 * durable writes) so that a restart replays only the tail. A missing,
 * corrupt or foreign snapshot costs a full replay, never wrong stock.
 */
export class StockStore {
  readonly projection: StockProjection;
  private readonly db: Low<SnapshotFile | null>;
  private readonly options: Required<Omit<StockStoreOptions, "logger">>;
  private readonly log: Logger;
  private lastHash: string;
  private sinceSnapshot = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  private constructor(
    projection: StockProjection,
    db: Low<SnapshotFile | null>,
    lastHash: string,
    options: StockStoreOptions,
  ) {
    this.projection = projection;
    this.db = db;
    this.lastHash = lastHash;
    this.options = { everyEntries: 5000, everyMs: 600_000, ...options } as Required<
      Omit<StockStoreOptions, "logger">
    >;
    this.log = (options.logger ?? silentLogger).child({ module: "stock" });
  }

  /** Loads the snapshot if it matches the ledger, then replays the ledger's tail after it. */
  static async open(ledger: Ledger, options: StockStoreOptions): Promise<StockStore> {
    const log = (options.logger ?? silentLogger).child({ module: "stock" });
    const db = new Low<SnapshotFile | null>(new DurableJsonFile(options.path), null);
    await db.read();
    const trusted = await trustedSnapshot(db.data, ledger);
    if (db.data && !trusted)
      log.warn(
        { file: options.path },
        "stock snapshot unusable; rebuilding stock from the whole ledger",
      );
    const projection = trusted
      ? StockProjection.fromSnapshot(trusted.stock)
      : new StockProjection();
    let lastHash = trusted?.hash ?? "";
    let replayed = 0;
    for await (const entry of ledger.readFrom(projection.seq + 1)) {
      projection.apply(entry);
      lastHash = entry.hash;
      replayed++;
    }
    log.info(
      { seq: projection.seq, fromSnapshot: trusted?.stock.seq ?? 0, replayed },
      "stock loaded",
    );
    const store = new StockStore(projection, db, lastHash, options);
    store.sinceSnapshot = replayed;
    return store;
  }

  /** Applies a newly appended entry, and schedules a snapshot when one is due. */
  apply(entry: Parameters<StockProjection["apply"]>[0]): void {
    this.projection.apply(entry);
    this.lastHash = entry.hash;
    this.sinceSnapshot++;
    if (this.sinceSnapshot >= this.options.everyEntries) void this.snapshot();
    // Unref'd: a snapshot only saves replaying the ledger at start, and an entry applied
    // after close() (a late one during shutdown) must not keep a stopped node's process
    // alive for ten minutes.
    else this.timer ??= setTimeout(() => void this.snapshot(), this.options.everyMs).unref();
  }

  /** Writes the snapshot now (one at a time; a failure is logged, the stock itself is unaffected). */
  async snapshot(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing) await this.writing;
    if (this.sinceSnapshot === 0 || this.projection.seq === 0) return;
    const stock: StockSnapshot = this.projection.snapshot();
    this.db.data = { hash: this.lastHash, stock };
    this.sinceSnapshot = 0;
    this.writing = this.db.write().catch((error: unknown) => {
      this.log.error(
        { err: error },
        "could not write the stock snapshot; the ledger still holds everything",
      );
    });
    await this.writing;
    this.writing = undefined;
  }

  async close(): Promise<void> {
    await this.snapshot();
  }
}

/** The snapshot, if it is well formed and the ledger's entry at its seq has the hash it recorded. */
async function trustedSnapshot(data: unknown, ledger: Ledger): Promise<SnapshotFile | undefined> {
  const parsed = SnapshotFileSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const { stock, hash } = parsed.data;
  if (stock.seq > ledger.durable.seq) return undefined;
  for await (const entry of ledger.readFrom(stock.seq))
    return entry.hash === hash ? parsed.data : undefined;
  return undefined;
}
