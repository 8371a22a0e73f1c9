import { open } from "node:fs/promises";
import type { Clock, Logger } from "@comptoir/contracts";
import type { Segment } from "./segments.js";

/**
 * The ledger's clock: never earlier than the last entry's `ts`.
 *
 * A Raspberry Pi has no real-time clock: after a power cut it may boot with
 * a time far behind (or, once NTP steps it back, ahead of what it wrote). An
 * entry stamped before the one it follows would make the gateway's "as of"
 * queries and a reader of the ledger see time run backwards inside a chain.
 *
 * While the wall clock is behind, entries carry the last ts unchanged (not
 * last ts + 1 ms): order within a chain is by seq anyway, and adding 1 ms
 * per entry would, at 10 entries a second for an hour-long wait for NTP,
 * invent a time 36 s in the future. Holding the last ts claims nothing the
 * node did not see. Each step back of the wall clock is logged once, at
 * warn, with how far back it went; catching up again is logged at info.
 */
export class LedgerClock {
  private last: number | undefined;
  /** The wall clock's previous reading: a reading below it is a step back. */
  private lastWall: number | undefined;
  private behind = false;

  constructor(
    private readonly wall: Clock,
    private readonly log: Logger,
    /** The ts of the last entry on disk, when there is one. */
    lastTs?: string,
  ) {
    const at = lastTs === undefined ? Number.NaN : Date.parse(lastTs);
    if (!Number.isNaN(at)) {
      this.last = at;
      this.lastWall = at;
    }
  }

  /** The ts for the next entry. */
  now(): Date {
    const wall = this.wall.now().getTime();
    if (this.lastWall !== undefined && wall < this.lastWall) {
      this.log.warn(
        {
          backMs: this.lastWall - wall,
          wall: new Date(wall).toISOString(),
          holding: new Date(this.last ?? this.lastWall).toISOString(),
        },
        "the system clock stepped back; ledger entries keep the last entry's time until it catches up",
      );
      this.behind = true;
    }
    this.lastWall = wall;
    if (this.last !== undefined && wall < this.last) return new Date(this.last);
    if (this.behind) {
      this.behind = false;
      this.log.info(
        { wall: new Date(wall).toISOString() },
        "the system clock caught up with the ledger",
      );
    }
    this.last = wall;
    return new Date(wall);
  }
}

/** The `ts` of the last complete entry in `segments`, read from the end of the last non-empty one. */
export async function lastEntryTs(segments: readonly Segment[]): Promise<string | undefined> {
  for (const segment of [...segments].reverse()) {
    const line = await lastLine(segment.path);
    if (line === undefined) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === "object" && value !== null && "ts" in value) {
        return typeof value.ts === "string" ? value.ts : undefined;
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
  return undefined;
}

/** Entries are at most 64 KiB (MAX_LINE_BYTES): the last line is within the last 64 KiB + 1. */
const TAIL_BYTES = 64 * 1024 + 2;

async function lastLine(path: string): Promise<string | undefined> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size === 0) return undefined;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString("utf8");
    const end = text.lastIndexOf("\n");
    if (end < 0) return undefined;
    const start = text.lastIndexOf("\n", end - 1);
    return text.slice(start + 1, end);
  } finally {
    await handle.close();
  }
}
