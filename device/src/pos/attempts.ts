import { type AttemptsFile, type AttemptsState, memoryAttemptsFile } from "./attempts-file.js";

/** How wrong PINs are limited; every figure comes from the node config (`pos.pin*`). */
export interface PinLimits {
  /** Wrong PINs for one id before it is locked out. */
  failuresBeforeLockout: number;
  /** The first lockout; each further wrong PIN doubles it… */
  lockoutMs: number;
  /** …up to this. */
  maxLockoutMs: number;
  /** Wrong PINs, all ids together, allowed in `nodeWindowMs`; past it every PIN check waits. */
  nodeFailures: number;
  nodeWindowMs: number;
  /** An id's failures are forgotten after this long without a new one. */
  forgetAfterMs: number;
}

export const DEFAULT_PIN_LIMITS: PinLimits = {
  failuresBeforeLockout: 5,
  lockoutMs: 30_000,
  maxLockoutMs: 3_600_000,
  nodeFailures: 20,
  nodeWindowMs: 600_000,
  forgetAfterMs: 86_400_000,
};

export interface Blocked {
  ms: number;
  /** "id": this id is locked out; "node": too many wrong PINs on this node as a whole. */
  scope: "id" | "node";
}

/**
 * Wrong PINs, per id and node-wide. From the `failuresBeforeLockout`-th
 * failure an id is locked out, 30 s then doubling with each further wrong
 * PIN up to the cap, right PIN or not (otherwise a guesser would simply keep
 * trying). No id with failures is ever dropped to make room: callers count
 * every unknown id under one key, so the table holds at most the configured
 * people plus one. The state goes to `file` before the answer, so a restart
 * does not reset it.
 */
export class PinAttempts {
  private state: AttemptsState;

  constructor(
    private readonly limits: PinLimits = DEFAULT_PIN_LIMITS,
    private readonly file: AttemptsFile = memoryAttemptsFile(),
  ) {
    this.state = file.load();
  }

  /** How long `id` must wait before its PIN is checked; null when it may try now. */
  blockedFor(id: string, now: number): Blocked | null {
    const lock = (this.state.ids[id]?.lockedUntil ?? 0) - now;
    const node = this.nodeBlockedFor(now);
    if (lock <= 0 && node <= 0) return null;
    return lock >= node ? { ms: lock, scope: "id" } : { ms: node, scope: "node" };
  }

  /** Counts a wrong PIN for `id`; returns its failures in a row. */
  fail(id: string, now: number): number {
    const previous = this.state.ids[id];
    const failures =
      previous && now - previous.lastFailure < this.limits.forgetAfterMs
        ? previous.failures + 1
        : 1;
    const over = failures - this.limits.failuresBeforeLockout;
    const lockedUntil =
      over >= 0 ? now + Math.min(this.limits.lockoutMs * 2 ** over, this.limits.maxLockoutMs) : 0;
    const node = [...this.state.node.filter((at) => at > now - this.limits.nodeWindowMs), now];
    this.state = {
      ids: { ...this.state.ids, [id]: { failures, lockedUntil, lastFailure: now } },
      // Only the newest `nodeFailures` matter to the window.
      node: node.slice(-this.limits.nodeFailures),
    };
    this.file.save(this.state);
    return failures;
  }

  succeed(id: string): void {
    if (!this.state.ids[id]) return;
    const { [id]: _gone, ...ids } = this.state.ids;
    this.state = { ...this.state, ids };
    this.file.save(this.state);
  }

  private nodeBlockedFor(now: number): number {
    const recent = this.state.node.filter((at) => at > now - this.limits.nodeWindowMs);
    if (recent.length < this.limits.nodeFailures) return 0;
    return (
      (recent[recent.length - this.limits.nodeFailures] as number) + this.limits.nodeWindowMs - now
    );
  }
}
