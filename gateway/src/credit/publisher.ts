import {
  type Catalog as CatalogMessage,
  CatalogSchema,
  type CreditSnapshot,
  CreditSnapshotSchema,
  type Logger,
  silentLogger,
  siteTopics,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { GatewayBus } from "../bus/bus.js";

const TABLE = `
CREATE TABLE IF NOT EXISTS retained_versions (
  topic TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  as_of TEXT NOT NULL
) STRICT;
`;

/**
 * Publishes the retained `credit/<customer>` snapshots and the `catalog`,
 * each with a version that only grows (kept in the store, so it keeps
 * growing across restarts: a counter keeps the higher version it has seen).
 * Versions are taken synchronously, in the order of the changes; a failed
 * publish is logged and repaired by the next change or the next start.
 */
export class RetainedPublisher {
  private readonly log: Logger;
  private readonly next;
  private readonly lastOf;
  /** Topics with a version reserved and not yet sent: what was last published before it. */
  private readonly reserved = new Map<string, { version: number; asOf: string | null }>();

  constructor(
    private readonly db: Database.Database,
    private readonly bus: Pick<GatewayBus, "publish"> | undefined,
    private readonly site: string,
    options: { logger?: Logger } = {},
  ) {
    db.exec(TABLE);
    this.log = (options.logger ?? silentLogger).child({ module: "credit:publisher" });
    this.next = db.prepare<[string, string], { version: number }>(
      `INSERT INTO retained_versions (topic, version, as_of) VALUES (?, 1, ?)
       ON CONFLICT (topic) DO UPDATE SET version = version + 1, as_of = excluded.as_of
       RETURNING version`,
    );
    this.lastOf = db.prepare<[string], { version: number; as_of: string }>(
      "SELECT version, as_of FROM retained_versions WHERE topic = ?",
    );
  }

  /** The version and time last published on a customer's topic; version 0 when never. */
  lastSnapshot(customer: string): { version: number; asOf: string | null } {
    const topic = siteTopics(this.site).credit(customer);
    return this.reserved.get(topic) ?? this.stored(topic);
  }

  /**
   * Takes the customer's next snapshot version now, for a snapshot sent
   * shortly by `snapshotAt`: call it inside the transaction of the change
   * (an order), whose commit then keeps the version too (no commit of its
   * own). Until it is sent, `lastSnapshot` still says what counters hold.
   */
  reserveSnapshot(customer: string, asOf: string): number {
    const topic = siteTopics(this.site).credit(customer);
    const held = this.reserved.get(topic) ?? this.stored(topic);
    const version = this.version(topic, asOf);
    this.reserved.set(topic, held);
    return version;
  }

  /** The version reserved is still the customer's newest: no snapshot was versioned since. */
  isNewest(customer: string, version: number): boolean {
    return this.stored(siteTopics(this.site).credit(customer)).version === version;
  }

  /** Publishes a snapshot at the version `reserveSnapshot` took. */
  snapshotAt(figures: Omit<CreditSnapshot, "version">, version: number): Promise<CreditSnapshot> {
    const topic = siteTopics(this.site).credit(figures.customer);
    const snapshot = CreditSnapshotSchema.parse({ ...figures, version });
    this.reserved.delete(topic);
    return this.send(topic, snapshot).then(() => snapshot);
  }

  private stored(topic: string): { version: number; asOf: string | null } {
    const row = this.lastOf.get(topic);
    return { version: row?.version ?? 0, asOf: row?.as_of ?? null };
  }

  /** Versions and publishes a snapshot; resolves with what was sent once the broker has it. */
  snapshot(figures: Omit<CreditSnapshot, "version">): Promise<CreditSnapshot> {
    const topic = siteTopics(this.site).credit(figures.customer);
    const snapshot = CreditSnapshotSchema.parse({
      ...figures,
      version: this.version(topic, figures.asOf),
    });
    return this.send(topic, snapshot).then(() => snapshot);
  }

  /**
   * Versions several snapshots in one transaction (one commit to disk, not
   * one each), then publishes them; resolves with what was sent.
   */
  snapshots(list: readonly Omit<CreditSnapshot, "version">[]): Promise<CreditSnapshot[]> {
    const topics = siteTopics(this.site);
    const versioned = this.db.transaction(() =>
      list.map((figures) => {
        const topic = topics.credit(figures.customer);
        const version = this.version(topic, figures.asOf);
        return { topic, snapshot: CreditSnapshotSchema.parse({ ...figures, version }) };
      }),
    )();
    return Promise.all(
      versioned.map(({ topic, snapshot }) => this.send(topic, snapshot).then(() => snapshot)),
    );
  }

  catalog(figures: Omit<CatalogMessage, "version">): Promise<CatalogMessage> {
    const topic = siteTopics(this.site).catalog();
    const catalog = CatalogSchema.parse({ ...figures, version: this.version(topic, figures.asOf) });
    return this.send(topic, catalog).then(() => catalog);
  }

  private version(topic: string, asOf: string): number {
    // A newer snapshot than any reserved one is being published: it is what counters will hold.
    this.reserved.delete(topic);
    return (this.next.get(topic, asOf) as { version: number }).version;
  }

  private async send(topic: string, payload: unknown): Promise<void> {
    if (!this.bus) return;
    try {
      await this.bus.publish(topic, JSON.stringify(payload), { qos: 1, retain: true });
    } catch (error) {
      this.log.warn({ err: error, topic }, "could not publish; the next change or start will");
    }
  }
}
