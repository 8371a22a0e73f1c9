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

  /** The node can no longer connect (an open connection stays until it drops). */
  revoke(node: string): boolean {
    return this.db.prepare("DELETE FROM node_credentials WHERE node = ?").run(node).changes > 0;
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
