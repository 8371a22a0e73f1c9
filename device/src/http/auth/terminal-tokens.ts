import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { sha256Hex } from "@comptoir/contracts";
import { z } from "zod";

/**
 * Terminal tokens: what a till, a station tablet or a script shows the
 * node's local API (`Authorization: Bearer <token>`). Issued on the node by
 * `comptoir node token create`, shown once; only their SHA-256 is kept, in
 * `<dataDir>/terminal-tokens.json` (0600). A running node notices a created
 * or revoked token at the next request: it re-reads the file when it changed.
 */
export const TERMINAL_ROLES = ["counter", "station", "admin"] as const;
export type TerminalRole = (typeof TERMINAL_ROLES)[number];

export const TerminalNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/,
    "a terminal name is 1 to 64 letters, digits, spaces, dots, dashes or underscores",
  );

const RecordSchema = z.object({
  name: z.string(),
  role: z.enum(TERMINAL_ROLES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});
const FileSchema = z.object({ tokens: z.array(RecordSchema) });
type TokenRecord = z.infer<typeof RecordSchema>;

/** Who is calling: a terminal's name and role. */
export interface Terminal {
  name: string;
  role: TerminalRole;
}

const PREFIX = "ctt_";

export class TerminalTokens {
  private records: TokenRecord[] = [];
  private seen = "";

  /** `path` undefined: kept in memory only (tests, tools). */
  constructor(private readonly path?: string) {
    this.reload();
  }

  /** Issues a token for a new terminal name; returns the token, which is never shown again. */
  create(name: string, role: TerminalRole, now = new Date()): string {
    this.reload();
    if (this.records.some((r) => r.name === name))
      throw new Error(
        `a terminal named "${name}" already has a token — revoke it first (comptoir node token revoke --name "${name}") or choose another name`,
      );
    const token = PREFIX + randomBytes(32).toString("base64url");
    this.write([
      ...this.records,
      { name, role, sha256: digest(token), createdAt: now.toISOString() },
    ]);
    return token;
  }

  list(): Omit<TokenRecord, "sha256">[] {
    this.reload();
    return this.records.map(({ name, role, createdAt }) => ({ name, role, createdAt }));
  }

  /** False when no terminal has that name. */
  revoke(name: string): boolean {
    this.reload();
    const kept = this.records.filter((r) => r.name !== name);
    if (kept.length === this.records.length) return false;
    this.write(kept);
    return true;
  }

  verify(token: string): Terminal | undefined {
    if (!token.startsWith(PREFIX)) return undefined;
    this.reload();
    const sha256 = digest(token);
    const found = this.records.find((r) => r.sha256 === sha256);
    return found ? { name: found.name, role: found.role } : undefined;
  }

  private reload(): void {
    if (!this.path) return;
    let stamp: string;
    try {
      const stat = statSync(this.path);
      stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.records = [];
      this.seen = "";
      return;
    }
    if (stamp === this.seen) return;
    const parsed = FileSchema.safeParse(parseJson(readFileSync(this.path, "utf8")));
    if (!parsed.success)
      throw new Error(
        `${this.path} is not a terminal token file — restore it from a backup or delete it and create the tokens again`,
      );
    this.records = parsed.data.tokens;
    this.seen = stamp;
  }

  /** tmp → fsync → rename: a power cut leaves the old file or the new one, never half of one. */
  private write(records: TokenRecord[]): void {
    if (this.path) {
      // The data directory may not exist yet (tokens made before the node's first start).
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.tmp`;
      const fd = openSync(tmp, "w", 0o600);
      try {
        writeSync(fd, `${JSON.stringify({ tokens: records }, null, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
      this.seen = "";
    }
    this.records = records;
    if (this.path) this.reload();
  }
}

/** undefined for text that is not JSON: the schema then refuses it with the same message. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One-shot: no Hash object per request (every API call shows its token). */
function digest(token: string): string {
  return sha256Hex(token);
}
