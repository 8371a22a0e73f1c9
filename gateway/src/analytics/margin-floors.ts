import { type Clock, type MarginFloors, MarginFloorsSchema } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import { prepared } from "../store/prepared.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS margin_floors (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  floors TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`;

/** The gateway ledger entry that records a change of the floors. */
export const MARGIN_FLOORS_CHANGED = "margin-floors.changed";

/**
 * The margin floors in force: the ones last given through the API, kept in
 * a one-row table; until then the gateway config's `analytics.marginFloors`.
 * The config is only the starting point, so a restart with the same config
 * does not undo a change made through the API.
 */
export class MarginFloorStore {
  constructor(
    private readonly db: Database.Database,
    private readonly options: { ledger: GatewayLedger; clock: Clock; seed: MarginFloors },
  ) {
    db.exec(SCHEMA);
  }

  /** The floors in force now. */
  get(): MarginFloors {
    const row = prepared<[], { floors: string }>(
      this.db,
      "SELECT floors FROM margin_floors WHERE id = 1",
    ).get();
    return row ? MarginFloorsSchema.parse(JSON.parse(row.floors)) : this.options.seed;
  }

  /** Replaces the floors; the change and its gateway ledger entry commit together. */
  set(input: unknown, actor: Actor): MarginFloors {
    const floors = MarginFloorsSchema.parse(input);
    const at = this.options.clock.now().toISOString();
    this.db.transaction(() => {
      const before = this.get();
      prepared(
        this.db,
        `INSERT INTO margin_floors (id, floors, updated_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET floors = excluded.floors, updated_at = excluded.updated_at`,
      ).run(JSON.stringify(floors), at);
      this.options.ledger.record(MARGIN_FLOORS_CHANGED, { floors, before }, actor);
    })();
    return floors;
  }
}

/**
 * The floor (percent of the price) a product must keep: its own, else its
 * category's, else the default; null when none applies.
 */
export function floorOf(
  floors: MarginFloors,
  sku: string | null,
  category: string | null,
): number | null {
  if (sku !== null && Object.hasOwn(floors.products, sku)) return floors.products[sku] ?? null;
  if (category !== null && Object.hasOwn(floors.categories, category)) {
    return floors.categories[category] ?? null;
  }
  return floors.default;
}
