import { createHash, randomBytes } from "node:crypto";
import { type Clock, systemClock } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { z } from "zod";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import { prepared } from "../store/prepared.js";

/** The roles an API token can have; what each may do is in `http/roles.ts`. */
export const ROLES = ["admin", "accounting", "warehouse", "counter", "viewer"] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const TokenNameSchema = z.string().trim().min(1).max(100);

/** A token as the gateway keeps it: never the token itself, only its SHA-256. */
export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

export interface IssuedToken {
  record: TokenRecord;
  /** The bearer token: shown once, at creation, and nowhere else. */
  token: string;
}

const TABLE = `CREATE TABLE IF NOT EXISTS api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  token_sha256 BLOB NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT
) STRICT`;

interface TokenRow {
  id: string;
  name: string;
  role: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

/** Tokens start with this, so that a leaked one is recognisable in logs and secret scanners. */
const PREFIX = "ct_";

/**
 * API bearer tokens with roles. A token is 32 random bytes; only its
 * SHA-256 is stored (the token is random and long, so a slow hash would add
 * nothing but latency on every request). Creating and revoking a token are
 * recorded in the gateway's ledger in the same transaction.
 */
export class TokenStore {
  private readonly clock: Clock;
  private readonly revokeListeners = new Set<(id: string) => void>();

  constructor(
    private readonly db: Database.Database,
    private readonly ledger: GatewayLedger,
    options: { clock?: Clock } = {},
  ) {
    this.db.exec(TABLE);
    this.clock = options.clock ?? systemClock;
  }

  create(role: Role, name: string, actor: Actor): IssuedToken {
    RoleSchema.parse(role);
    const clean = TokenNameSchema.parse(name);
    const id = `tok_${randomBytes(6).toString("hex")}`;
    const token = PREFIX + randomBytes(32).toString("base64url");
    const createdAt = this.clock.now().toISOString();
    const createdBy = `${actor.kind}:${actor.id}`;
    this.db.transaction(() => {
      prepared(
        this.db,
        "INSERT INTO api_tokens (id, name, role, token_sha256, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(id, clean, role, digest(token), createdAt, createdBy);
      this.ledger.record("token.created", { token: id, name: clean, role }, actor);
    })();
    return {
      record: { id, name: clean, role, createdAt, createdBy, revokedAt: null },
      token,
    };
  }

  /** The live token this bearer value is, or undefined (unknown, malformed or revoked). */
  authenticate(token: string): TokenRecord | undefined {
    if (!token.startsWith(PREFIX) || token.length > 200) return undefined;
    const row = prepared<[Buffer], TokenRow>(
      this.db,
      "SELECT id, name, role, created_at, created_by, revoked_at FROM api_tokens WHERE token_sha256 = ? AND revoked_at IS NULL",
    ).get(digest(token));
    return row ? toRecord(row) : undefined;
  }

  get(id: string): TokenRecord | undefined {
    const row = prepared<[string], TokenRow>(
      this.db,
      "SELECT id, name, role, created_at, created_by, revoked_at FROM api_tokens WHERE id = ?",
    ).get(id);
    return row ? toRecord(row) : undefined;
  }

  list(): TokenRecord[] {
    return prepared<[], TokenRow>(
      this.db,
      "SELECT id, name, role, created_at, created_by, revoked_at FROM api_tokens ORDER BY created_at, id",
    )
      .all()
      .map(toRecord);
  }

  /**
   * Calls `listener` with the id of each token this store revokes (the live
   * feed closes its sockets at once); returns the unsubscribe function.
   * Revocations by another process are not seen here: the feed rechecks.
   */
  onRevoke(listener: (id: string) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  /** Revokes a live token: "revoked"; "unknown" or "already" change nothing. */
  revoke(id: string, actor: Actor): "revoked" | "unknown" | "already" {
    const outcome = this.revokeInTransaction(id, actor);
    if (outcome === "revoked") for (const listener of this.revokeListeners) listener(id);
    return outcome;
  }

  private revokeInTransaction(id: string, actor: Actor): "revoked" | "unknown" | "already" {
    return this.db.transaction(() => {
      const existing = this.get(id);
      if (!existing) return "unknown" as const;
      if (existing.revokedAt) return "already" as const;
      prepared(this.db, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?").run(
        this.clock.now().toISOString(),
        id,
      );
      this.ledger.record("token.revoked", { token: id }, actor);
      return "revoked" as const;
    })();
  }

  /** An admin token when none was ever created (checked and created in one transaction). */
  createFirstAdmin(): IssuedToken | undefined {
    const run = this.db.transaction(() =>
      this.count() > 0
        ? undefined
        : this.create("admin", "first admin", { kind: "system", id: "first-start" }),
    );
    return run.immediate();
  }

  count(): number {
    return (
      prepared<[], { n: number }>(this.db, "SELECT COUNT(*) AS n FROM api_tokens").get()?.n ?? 0
    );
  }
}

/**
 * At the gateway's start: when no API token was ever created, creates an
 * admin token and returns it so that it can be printed once; otherwise
 * undefined. (Lost every admin token? `comptoir token create --role admin`.)
 */
export function bootstrapAdminToken(tokens: TokenStore): IssuedToken | undefined {
  return tokens.createFirstAdmin();
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

function toRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    role: RoleSchema.parse(row.role),
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
  };
}
