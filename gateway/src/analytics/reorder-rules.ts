import {
  type Clock,
  type ReorderRule,
  ReorderRuleSchema,
  type ReorderRulesView,
  systemClock,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import { prepared } from "../store/prepared.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS reorder_rules (
  position INTEGER PRIMARY KEY,
  sku TEXT NOT NULL,
  -- '' for a rule over the whole site (NULL cannot be part of the unique key).
  zone TEXT NOT NULL,
  -- The rule as parsed, defaults filled in.
  rule TEXT NOT NULL,
  UNIQUE (sku, zone)
) STRICT;
-- One row once a PUT has set the rules: from then on the config's are not read.
CREATE TABLE IF NOT EXISTS reorder_rules_set (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  set_at TEXT NOT NULL,
  seq INTEGER NOT NULL
) STRICT;
`;

/** A rule set refused as a whole: what, and where (`rules[2].sku`). */
export class ReorderRuleError extends Error {
  override name = "ReorderRuleError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * The reorder rules (issue 16): the gateway config's `analytics.reorder.rules`
 * until the API sets them, then the set the API gave last, kept in the
 * store. Reading the config until then (rather than copying it in at start)
 * lets a site edit its config before anyone uses the API; once set through
 * the API, the config no longer counts — the API is where rules are changed.
 * Each set is recorded in the gateway ledger (`reorder.rules-set`, with the
 * set before) in the transaction that stores it.
 */
export class ReorderRules {
  private readonly clock: Clock;

  constructor(
    private readonly db: Database.Database,
    private readonly ledger: GatewayLedger,
    private readonly options: { seed: readonly ReorderRule[]; clock?: Clock },
  ) {
    this.clock = options.clock ?? systemClock;
    db.exec(SCHEMA);
  }

  /** The rules in force, in the order they were given. */
  list(): ReorderRule[] {
    return this.view().rules;
  }

  view(): ReorderRulesView {
    const set = prepared<[], { set_at: string }>(
      this.db,
      "SELECT set_at FROM reorder_rules_set WHERE id = 1",
    ).get();
    if (!set) return { rules: [...this.options.seed], source: "config", setAt: null };
    const rules = prepared<[], { rule: string }>(
      this.db,
      "SELECT rule FROM reorder_rules ORDER BY position",
    )
      .all()
      .map((row) => ReorderRuleSchema.parse(JSON.parse(row.rule)));
    return { rules, source: "api", setAt: set.set_at };
  }

  /**
   * Replaces the whole set. `knows(sku)` says whether the catalog has the
   * product: a rule for an unknown one is refused (ReorderRuleError, with its
   * path) and nothing is stored. Duplicates and a target under the minimum
   * are refused by ReorderRulesSchema before this.
   */
  replace(
    rules: readonly ReorderRule[],
    actor: Actor,
    knows: (sku: string) => boolean,
  ): ReorderRulesView {
    rules.forEach((rule, index) => {
      if (!knows(rule.sku)) {
        throw new ReorderRuleError(
          `no product ${rule.sku} in the catalog — create it first (POST /api/v1/products) or remove this rule`,
          `rules[${index}].sku`,
        );
      }
    });
    const at = this.clock.now().toISOString();
    this.db.transaction(() => {
      const before = this.view();
      const entry = this.ledger.record(
        "reorder.rules-set",
        { rules, before: { source: before.source, rules: before.rules } },
        actor,
      );
      prepared(this.db, "DELETE FROM reorder_rules").run();
      const insert = prepared<[number, string, string, string]>(
        this.db,
        "INSERT INTO reorder_rules (position, sku, zone, rule) VALUES (?, ?, ?, ?)",
      );
      rules.forEach((rule, index) => {
        insert.run(index, rule.sku, rule.zone ?? "", JSON.stringify(rule));
      });
      prepared<[string, number]>(
        this.db,
        `INSERT INTO reorder_rules_set (id, set_at, seq) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET set_at = excluded.set_at, seq = excluded.seq`,
      ).run(at, entry.seq);
    })();
    return this.view();
  }
}
