import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChainIdentity, generateIdentity } from "@comptoir/contracts";
import { Ledger, type LedgerOptions } from "../../ledger/ledger.js";
import { LedgerSync, type LedgerSyncOptions } from "../sync.js";
import { movement } from "./movement.js";

export const SITE = "site-1";
export const NODE = "dock-1";

/** A temp data dir with a ledger in it, and cleanup for everything a test opened. */
export class NodeFixture {
  readonly identity: ChainIdentity = generateIdentity();
  private readonly closers: (() => Promise<void>)[] = [];
  dataDir = "";
  ledgerDir = "";
  ledger!: Ledger;

  async open(options: Partial<LedgerOptions> = {}): Promise<Ledger> {
    if (!this.dataDir) {
      this.dataDir = await mkdtemp(join(tmpdir(), "comptoir-sync-"));
      this.ledgerDir = join(this.dataDir, "ledger");
      this.defer(() => rm(this.dataDir, { recursive: true, force: true }));
    }
    const ledger = await Ledger.open({
      dir: this.ledgerDir,
      chain: NODE,
      identity: this.identity,
      groupCommitMs: 2,
      ...options,
    });
    this.ledger = ledger;
    this.defer(() => ledger.close().catch(() => {}));
    return ledger;
  }

  async append(count: number): Promise<void> {
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) pending.push(this.ledger.append("movement", movement(i)));
    await Promise.all(pending);
  }

  async sync(url: string, options: Partial<LedgerSyncOptions> = {}): Promise<LedgerSync> {
    const sync = await LedgerSync.start({
      node: NODE,
      identity: this.identity,
      site: SITE,
      version: "0.1.0-test",
      mqtt: { url },
      ledger: this.ledger,
      ledgerDir: this.ledgerDir,
      dataDir: this.dataDir,
      readers: () => [{ id: "portal-a", state: "reading" }],
      pollMs: 5,
      ackTimeoutMs: 2000,
      persistEveryMs: 10,
      ...options,
      clientOptions: { reconnectPeriod: 100, ...options.clientOptions },
    });
    this.defer(() => sync.close());
    return sync;
  }

  defer(close: () => Promise<unknown>): void {
    this.closers.push(async () => {
      await close();
    });
  }

  async cleanup(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close().catch(() => {});
    this.dataDir = "";
    this.ledgerDir = "";
  }
}
