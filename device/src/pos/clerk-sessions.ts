import { randomBytes } from "node:crypto";
import { type Clock, sha256Hex } from "@comptoir/contracts";

export interface ClerkSession {
  clerk: string;
  /** The terminal (token name, or "kiosk") the clerk signed in on: the session is good there only. */
  terminal: string;
  lastUsed: number;
}

/**
 * Clerks signed in at a till. A session is a random value the page keeps in
 * memory and sends in the `X-Clerk-Session` header; it ends after
 * `idleMs` without use, at sign-out, or when the node restarts (a clerk
 * signs in again: the PIN is short to type). Only its SHA-256 is kept.
 */
export class ClerkSessions {
  private readonly sessions = new Map<string, ClerkSession>();

  constructor(
    private readonly idleMs: number,
    private readonly clock: Clock,
    private readonly maxSessions = 1000,
  ) {}

  open(clerk: string, terminal: string): { session: string; expiresInSeconds: number } {
    const now = this.clock.now().getTime();
    this.sweep(now);
    // A till has one clerk at a time: signing in ends the terminal's previous session.
    for (const [key, s] of this.sessions) if (s.terminal === terminal) this.sessions.delete(key);
    if (this.sessions.size >= this.maxSessions) {
      const oldest = [...this.sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      if (oldest) this.sessions.delete(oldest[0]);
    }
    const session = randomBytes(24).toString("base64url");
    this.sessions.set(digest(session), { clerk, terminal, lastUsed: now });
    return { session, expiresInSeconds: Math.round(this.idleMs / 1000) };
  }

  /** The clerk of `session` on `terminal`, refreshing its idle timer; undefined when none. */
  use(session: string | undefined, terminal: string): string | undefined {
    if (!session) return undefined;
    const now = this.clock.now().getTime();
    const key = digest(session);
    const found = this.sessions.get(key);
    if (!found || found.terminal !== terminal) return undefined;
    if (now - found.lastUsed >= this.idleMs) {
      this.sessions.delete(key);
      return undefined;
    }
    found.lastUsed = now;
    return found.clerk;
  }

  close(session: string | undefined): void {
    if (session) this.sessions.delete(digest(session));
  }

  private sweep(now: number): void {
    for (const [key, s] of this.sessions)
      if (now - s.lastUsed >= this.idleMs) this.sessions.delete(key);
  }
}

/** One-shot: no Hash object per request (every till call looks its session up). */
function digest(session: string): string {
  return sha256Hex(session);
}
