import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type Clock, type Logger, silentLogger, systemClock } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Actor } from "../ledger/gateway-ledger.js";
import type { KindImporter } from "./importers.js";
import { FileDropJournal } from "./journal.js";
import {
  ARCHIVE,
  ERROR,
  INBOUND_KINDS,
  type InboundKind,
  inboundDir,
  isTemporaryName,
} from "./layout.js";
import { SettleTracker } from "./settle.js";
import { type DropContext, takeFile } from "./take-file.js";

/** Who the gateway ledger names for what the file drop imports. */
export const FILE_DROP_ACTOR: Actor = { kind: "system", id: "file-drop" };

/** After an unexpected failure (not a refusal) a file is tried again after 1 min, doubling to 1 h. */
const FIRST_RETRY_MS = 60_000;
const LAST_RETRY_MS = 3_600_000;

export interface FileDropOptions {
  /** `fileDrop.directory`, resolved against the data directory. */
  directory: string;
  pollMs: number;
  settleMs: number;
  /** A larger file goes to error/ unread. */
  maxFileBytes: number;
  db: Database.Database;
  /** The importer of each kind the gateway can take; the others wait in their folders. */
  importers: Partial<Record<InboundKind, KindImporter>>;
  /** One store transaction, with the change listeners told after its commit. */
  transaction: <T>(work: () => T) => T;
  clock?: Clock;
  logger?: Logger;
}

/** What GET /file-drop shows of the watcher. */
export interface FileDropStatus {
  directory: string;
  pollMs: number;
  settleMs: number;
  lastScanAt: string | null;
  /** Why the last scan could not list a folder (an unmounted share…); null when it could. */
  lastError: string | null;
  kinds: {
    kind: InboundKind;
    folder: string;
    available: boolean;
    formats: string[];
    /** Files in the folder not yet taken (still settling, or waiting for an importer). */
    waiting: number;
  }[];
  /** Files that failed for a reason other than their content, and when they are tried again. */
  retrying: { kind: InboundKind; name: string; error: string; retryAt: string }[];
}

interface Retry {
  kind: InboundKind;
  name: string;
  error: string;
  attempts: number;
  retryAt: number;
}

/**
 * Watches `inbound/<kind>/` by listing it every `pollMs` (network shares
 * and SFTP folders deliver no file-system events). A file is taken once it
 * has settled (see SettleTracker; temp names never), imported whole, and
 * moved to `archive/` or `error/`. The first scan at start also finishes
 * what a crash interrupted: a file whose import committed is archived.
 */
export class FileDropWatcher {
  readonly journal: FileDropJournal;
  /** One per folder: a scan forgets the files gone from the folder it lists. */
  private readonly trackers = new Map<InboundKind, SettleTracker>();
  private readonly ctx: DropContext;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly retries = new Map<string, Retry>();
  private readonly waiting = new Map<InboundKind, number>();
  private readonly warned = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private stopped = false;
  private lastScanAt: string | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: FileDropOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? silentLogger).child({ module: "file-drop" });
    this.journal = new FileDropJournal(options.db);
    for (const kind of INBOUND_KINDS)
      this.trackers.set(kind, new SettleTracker(options.settleMs, this.clock));
    this.ctx = {
      root: options.directory,
      maxFileBytes: options.maxFileBytes,
      journal: this.journal,
      importers: options.importers,
      transaction: options.transaction,
      clock: this.clock,
      log: this.log,
      actor: FILE_DROP_ACTOR,
    };
  }

  /** Creates the folders, scans once (finishing what a crash left), then every `pollMs`. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.scan();
    this.log.info(
      { directory: this.options.directory, pollMs: this.options.pollMs },
      "file drop watching its inbound folders",
    );
    this.schedule();
  }

  /** Stops polling; waits for a file being taken to be finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.scanning;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.scan().finally(() => this.schedule());
    }, this.options.pollMs);
    this.timer.unref();
  }

  /** One pass over every inbound folder; never throws (a scan that fails is logged and retried). */
  scan(): Promise<void> {
    if (this.scanning) return this.scanning;
    this.scanning = this.scanAll().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  private async scanAll(): Promise<void> {
    const errors: string[] = [];
    for (const kind of INBOUND_KINDS) {
      if (this.stopped) break;
      try {
        await this.scanKind(kind);
      } catch (error) {
        const message = `cannot use ${inboundDir(this.options.directory, kind)}: ${error instanceof Error ? error.message : String(error)}`;
        errors.push(message);
      }
    }
    const lastError = errors.length > 0 ? errors.join("; ") : null;
    // Said once when it starts and once when it ends, not at every poll.
    if (lastError !== this.lastError) {
      if (lastError)
        this.log.error({ error: lastError }, "file drop cannot list its folders; retrying");
      else if (this.lastError) this.log.info("file drop folders usable again");
    }
    this.lastError = lastError;
    this.lastScanAt = this.clock.now().toISOString();
  }

  private async scanKind(kind: InboundKind): Promise<void> {
    const folder = inboundDir(this.options.directory, kind);
    // Created at every scan: a share mounted after start, or a folder removed by hand, comes back.
    for (const sub of [ARCHIVE, ERROR]) await mkdir(join(folder, sub), { recursive: true });
    const entries = await readdir(folder, { withFileTypes: true });
    const files: { name: string; path: string; mtimeMs: number; size: number }[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || isTemporaryName(entry.name)) continue;
      const path = join(folder, entry.name);
      try {
        const info = await stat(path);
        files.push({ name: entry.name, path, mtimeMs: info.mtimeMs, size: info.size });
      } catch {
        // Renamed or removed between the listing and here: the next scan sees where it went.
      }
    }
    const tracker = this.trackers.get(kind) as SettleTracker;
    tracker.keepOnly(new Set(files.map((file) => file.path)));
    const importer = this.options.importers[kind];
    let waiting = 0;
    // Oldest first: files are imported in the order they were dropped.
    files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
    for (const file of files) {
      if (this.stopped) break;
      if (!importer) {
        waiting++;
        this.warnOnce(kind, file.name);
        continue;
      }
      const ready = tracker.settled(file.path, file) || (await this.importedBefore(kind, file));
      if (!ready || !this.due(file.path)) {
        waiting++;
        continue;
      }
      try {
        await takeFile(this.ctx, kind, file.name);
        this.retries.delete(file.path);
        tracker.forget(file.path);
      } catch (error) {
        waiting++;
        this.failed(kind, file.name, file.path, error);
      }
    }
    this.waiting.set(kind, waiting);
  }

  /**
   * A file whose import committed before a crash, found again: archived at
   * once, without waiting for it to settle (it was whole when imported).
   */
  private async importedBefore(
    kind: InboundKind,
    file: { path: string; size: number },
  ): Promise<boolean> {
    const unmoved = this.journal.unmoved(kind).filter((record) => record.size === file.size);
    if (unmoved.length === 0) return false;
    try {
      const sha256 = createHash("sha256")
        .update(await readFile(file.path))
        .digest("hex");
      return unmoved.some((record) => record.sha256 === sha256);
    } catch {
      return false; // gone since the listing: the next scan sees where
    }
  }

  private warnOnce(kind: InboundKind, name: string): void {
    const key = `${kind}/${name}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log.warn(
      { kind, file: name },
      `this gateway cannot import ${kind} files yet: the file stays in inbound/${kind}/ until it can`,
    );
  }

  private due(path: string): boolean {
    const retry = this.retries.get(path);
    return !retry || this.clock.now().getTime() >= retry.retryAt;
  }

  /** Not a refusal (those go to error/): the store or the disk failed. Tried again later, never lost. */
  private failed(kind: InboundKind, name: string, path: string, error: unknown): void {
    const attempts = (this.retries.get(path)?.attempts ?? 0) + 1;
    const delay = Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), LAST_RETRY_MS);
    const message = error instanceof Error ? error.message : String(error);
    this.retries.set(path, {
      kind,
      name,
      error: message,
      attempts,
      retryAt: this.clock.now().getTime() + delay,
    });
    this.log.error(
      { err: error, kind, file: name, attempts, retryInMs: delay },
      "file drop could not take a file; it stays in inbound/ and is tried again",
    );
  }

  status(): FileDropStatus {
    return {
      directory: this.options.directory,
      pollMs: this.options.pollMs,
      settleMs: this.options.settleMs,
      lastScanAt: this.lastScanAt,
      lastError: this.lastError,
      kinds: INBOUND_KINDS.map((kind) => ({
        kind,
        folder: `inbound/${kind}`,
        available: this.options.importers[kind] !== undefined,
        formats: [...(this.options.importers[kind]?.formats ?? [])],
        waiting: this.waiting.get(kind) ?? 0,
      })),
      retrying: [...this.retries.values()].map((retry) => ({
        kind: retry.kind,
        name: retry.name,
        error: retry.error,
        retryAt: new Date(retry.retryAt).toISOString(),
      })),
    };
  }
}
