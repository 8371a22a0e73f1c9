import { DEFAULT_LOCALE, formatMoney } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { ofProductSql } from "../store/identity.js";
import type { CreditStatement } from "./statements.js";

/** "Limit exceeded while offline": synced counter sales took a customer over the limit. */
export interface OfflineLimitAlert {
  customer: string;
  limit: number;
  exposure: number;
  /** The sales (oldest first) from which the customer stood over the limit. */
  sales: { id: string; node: string; seq: number; total: number; at: string }[];
}

/** A counter sale as the projector stored it. */
export interface SyncedSale {
  synced: number;
  id: string;
  chain: string;
  seq: number;
  customer: string | null;
  payment: string;
  total: number;
  at: string;
  /** JSON of the override, when a supervisor completed a blocked sale. */
  override: string | null;
}

/**
 * What node chains brought since the credit side last looked: counter sales
 * (by the sales table's ever-growing `synced`) and shipments to customers
 * (by seq, per node). The marks live in the store, so a restart neither
 * misses nor repeats anything.
 */
export class SyncMarks {
  private readonly get;
  private readonly set;

  constructor(private readonly db: Database.Database) {
    db.exec(
      "CREATE TABLE IF NOT EXISTS credit_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT",
    );
    this.get = db.prepare<[string], { value: number }>(
      "SELECT value FROM credit_state WHERE key = ?",
    );
    this.set = db.prepare<[string, number]>(
      "INSERT INTO credit_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
  }

  /** Sales stored since the last call, in the order they were stored. */
  freshSales(): SyncedSale[] {
    const fresh = this.db
      .prepare<[number], SyncedSale>(
        "SELECT synced, id, chain, seq, customer, payment, total, at, override FROM sales WHERE synced > ? ORDER BY synced",
      )
      .all(this.get.get("sales-seen")?.value ?? 0);
    const last = fresh.at(-1);
    if (last) this.set.run("sales-seen", last.synced);
    return fresh;
  }

  /**
   * Customers with shipments stored since the last call: of one node's
   * chain (cheap: its primary key), or of every chain (a scan).
   */
  freshShipmentCustomers(node?: string): Set<string> {
    const heads =
      node === undefined
        ? this.db
            .prepare<[], { chain: string; seq: number }>(
              "SELECT chain, MAX(seq) AS seq FROM shipments GROUP BY chain",
            )
            .all()
        : this.db
            .prepare<[string], { seq: number | null }>(
              "SELECT MAX(seq) AS seq FROM shipments WHERE chain = ?",
            )
            .all(node)
            .flatMap((row) => (row.seq === null ? [] : [{ chain: node, seq: row.seq }]));
    const since = this.db.prepare<[string, number], { customer: string }>(
      "SELECT DISTINCT customer FROM shipments WHERE chain = ? AND seq > ?",
    );
    const customers = new Set<string>();
    for (const head of heads) {
      const key = `shipments-seen:${head.chain}`;
      const seen = this.get.get(key)?.value ?? 0;
      if (head.seq <= seen) continue;
      for (const row of since.all(head.chain, seen)) customers.add(row.customer);
      this.set.run(key, head.seq);
    }
    return customers;
  }

  /** Customers who received items of a product: its price values their shipped-not-invoiced. */
  customersWhoReceived(sku: string): string[] {
    return this.db
      .prepare<{ sku: string }, { customer: string }>(
        `SELECT DISTINCT customer FROM shipments s WHERE ${ofProductSql("s")}`,
      )
      .all({ sku })
      .map((row) => row.customer);
  }
}

/**
 * The sales among `fresh` (this customer's, just synced) from which the
 * customer stood over the limit, replayed in the order they were made;
 * sales a supervisor overrode are not named (their entry already says why).
 * Undefined when none.
 */
export function offlineOverLimit(
  statement: CreditStatement,
  fresh: readonly SyncedSale[],
): OfflineLimitAlert | undefined {
  const limit = statement.limit;
  if (limit === null || statement.exposure.total <= limit) return undefined;
  const counted = new Set(statement.exposure.counterSales.documents.map((document) => document.id));
  const ordered = fresh
    .filter((sale) => counted.has(sale.id))
    .sort((a, b) => a.at.localeCompare(b.at) || a.chain.localeCompare(b.chain) || a.seq - b.seq);
  let running = statement.exposure.total - ordered.reduce((sum, sale) => sum + sale.total, 0);
  const sales: OfflineLimitAlert["sales"] = [];
  for (const sale of ordered) {
    running += sale.total;
    if (running > limit && sale.override === null) {
      sales.push({ id: sale.id, node: sale.chain, seq: sale.seq, total: sale.total, at: sale.at });
    }
  }
  if (sales.length === 0) return undefined;
  return { customer: statement.customer, limit, exposure: statement.exposure.total, sales };
}

export function offlineAlertMessage(
  alert: OfflineLimitAlert,
  currency: string,
  locale = DEFAULT_LOCALE,
): string {
  const named = alert.sales.map((sale) => `${sale.id} (${sale.node})`).join(", ");
  const amount = (minor: number) => formatMoney(minor, currency, locale);
  return `limit exceeded while offline: ${alert.customer} owes ${amount(alert.exposure)} > limit ${amount(alert.limit)} after sales ${named}`;
}
