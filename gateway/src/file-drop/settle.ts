import type { Clock } from "@comptoir/contracts";

interface Seen {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first seen (the injected clock's ms). */
  since: number;
}

/**
 * Whether a file has stopped changing: the same size and modification time
 * over scans `settleMs` apart. A file a writer is still copying into place
 * grows or is touched between scans, so it is left for a later one.
 */
export class SettleTracker {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly settleMs: number,
    private readonly clock: Clock,
  ) {}

  /** Notes what the file looks like now; true once it has looked so for `settleMs`. */
  settled(path: string, stat: { size: number; mtimeMs: number }): boolean {
    const now = this.clock.now().getTime();
    const before = this.seen.get(path);
    if (!before || before.size !== stat.size || before.mtimeMs !== stat.mtimeMs) {
      this.seen.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, since: now });
      return this.settleMs === 0;
    }
    return now - before.since >= this.settleMs;
  }

  /** Forgets files no longer in the folder (taken, or removed by someone else). */
  keepOnly(present: ReadonlySet<string>): void {
    for (const path of this.seen.keys()) if (!present.has(path)) this.seen.delete(path);
  }

  forget(path: string): void {
    this.seen.delete(path);
  }
}
