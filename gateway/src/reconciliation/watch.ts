import type { Database } from "better-sqlite3";
import type { LiveEvents } from "../live/events.js";
import type { Discrepancy } from "./types.js";

/**
 * Remembers which discrepancies were already pushed on the live feed, so
 * that each one is announced once, however often reconciliation runs (on
 * request, or on a timer). The ids are stable: a gap that changes (one
 * more item shipped) is a new discrepancy.
 */
export class DiscrepancyAnnouncer {
  private readonly known: (id: string) => boolean;
  private readonly remember: (id: string, at: string) => void;

  constructor(
    db: Database,
    private readonly events: LiveEvents,
  ) {
    db.exec(
      "CREATE TABLE IF NOT EXISTS discrepancies_announced (id TEXT PRIMARY KEY, at TEXT NOT NULL) STRICT",
    );
    const find = db.prepare<[string], { id: string }>(
      "SELECT id FROM discrepancies_announced WHERE id = ?",
    );
    const insert = db.prepare<[string, string]>(
      "INSERT OR IGNORE INTO discrepancies_announced (id, at) VALUES (?, ?)",
    );
    this.known = (id) => find.get(id) !== undefined;
    this.remember = (id, at) => insert.run(id, at);
  }

  /** Pushes the discrepancies not announced before; returns how many. */
  announce(discrepancies: readonly Discrepancy[], at: string): number {
    if (!this.events.publish) return 0;
    let count = 0;
    for (const item of discrepancies) {
      if (this.known(item.id)) continue;
      this.remember(item.id, at);
      this.events.publish("discrepancy", item);
      count++;
    }
    return count;
  }
}
