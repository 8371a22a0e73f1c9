import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { type Clock, systemClock, TopicIdSchema } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { NodeRecord, Store } from "../store/store.js";

const TABLE = `CREATE TABLE IF NOT EXISTS node_credentials (
  node TEXT PRIMARY KEY,
  secret_sha256 BLOB NOT NULL,
  issued_at TEXT NOT NULL
) STRICT`;

/**
 * Per-node MQTT secrets for the embedded broker. The username is the node
 * id; the password is 32 random bytes (base64url) made here and shown once.
 * Only its SHA-256 is kept: the secret is random and long, so a slow hash
 * would add nothing but a pause at every CONNECT.
 */
export class NodeCredentials {
  private readonly clock: Clock;
  /** Called after a node's secret is replaced or removed: the broker drops its open sessions. */
  private readonly changed = new Set<(node: string) => void>();

  constructor(
    private readonly db: Database.Database,
    options: { clock?: Clock } = {},
  ) {
    this.db.exec(TABLE);
    this.clock = options.clock ?? systemClock;
  }

  /** Makes a new secret for the node (replacing any earlier one) and returns it: the only time it is seen. */
  issue(node: string): string {
    TopicIdSchema.parse(node);
    const secret = randomBytes(32).toString("base64url");
    this.db
      .prepare(
        `INSERT INTO node_credentials (node, secret_sha256, issued_at) VALUES (?, ?, ?)
         ON CONFLICT (node) DO UPDATE SET secret_sha256 = excluded.secret_sha256, issued_at = excluded.issued_at`,
      )
      .run(node, digest(secret), this.clock.now().toISOString());
    this.notify(node);
    return secret;
  }

  /** True when `secret` is the node's current secret; compared in constant time. */
  verify(node: string, secret: string | Buffer | undefined): boolean {
    if (secret === undefined) return false;
    const row = this.db
      .prepare<[string], { secret_sha256: Buffer }>(
        "SELECT secret_sha256 FROM node_credentials WHERE node = ?",
      )
      .get(node);
    if (!row) return false;
    return timingSafeEqual(row.secret_sha256, digest(secret));
  }

  has(node: string): boolean {
    return (
      this.db
        .prepare<[string], { n: number }>("SELECT 1 AS n FROM node_credentials WHERE node = ?")
        .get(node) !== undefined
    );
  }

  /** The node can no longer connect; listeners (the broker) drop its open connection. */
  revoke(node: string): boolean {
    const removed =
      this.db.prepare("DELETE FROM node_credentials WHERE node = ?").run(node).changes > 0;
    if (removed) this.notify(node);
    return removed;
  }

  /**
   * Calls `listener` with the node id whenever its secret is replaced or
   * revoked. The broker checks secrets only at CONNECT: without this, a
   * session opened with the old secret would outlive it. Returns an unsubscribe.
   */
  onChange(listener: (node: string) => void): () => void {
    this.changed.add(listener);
    return () => this.changed.delete(listener);
  }

  private notify(node: string): void {
    for (const listener of this.changed) listener(node);
  }
}

/**
 * Enrolls a node and issues its MQTT secret in one transaction: either the
 * node exists with a secret, or neither. The secret is returned once.
 */
export function enrollWithCredentials(
  store: Store,
  credentials: NodeCredentials,
  id: string,
  publicKey: string,
): { node: NodeRecord; mqtt: { username: string; password: string } } {
  return store.db.transaction(() => {
    const node = store.enrollNode(id, publicKey);
    const password = credentials.issue(id);
    return { node, mqtt: { username: id, password } };
  })();
}

function digest(secret: string | Buffer): Buffer {
  return createHash("sha256").update(secret).digest();
}
