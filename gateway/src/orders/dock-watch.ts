import { DOCK_REFUSED_ORDER_STATES, type Logger } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { LiveEvents } from "../live/events.js";
import { prepared } from "../store/prepared.js";
import type { OrderRecords } from "./records.js";
import type { OrderService } from "./service.js";
import { ensureOrderTables } from "./tables.js";

const SYSTEM: Actor = { kind: "system", id: "orders" };

interface FreshShipment {
  chain: string;
  seq: number;
  epc: string;
  order_ref: string;
  customer: string;
}

/** "Goods left under credit hold", as the gateway saw it in a node's batch. */
export interface HoldBreach {
  order: string;
  customer: string;
  state: "held" | "cancelled" | "unknown";
  version: number;
  items: number;
  node: string;
  epcs: string[];
}

/**
 * Follows the goods of orders through node batches: each shipment tagged
 * with an order moves its fulfilment state (partially shipped, shipped),
 * and goods of an order the dock may not ship (held, cancelled, or unknown
 * to the gateway) raise one alert per order and state version on the live
 * feed, recorded as `order.hold-breach`. The movements themselves are
 * stored as they happened. Marks per node chain live in the store, so a
 * restart neither misses nor repeats a breach.
 */
export class DockWatch {
  private readonly mark;
  private readonly setMark;
  private readonly breachSeen;
  private readonly breachRecord;
  private readonly freshRows;
  private readonly headRow;

  constructor(
    private readonly db: Database.Database,
    private readonly orders: OrderService,
    private readonly ledger: GatewayLedger,
    private readonly options: { events?: LiveEvents; log: Logger },
  ) {
    ensureOrderTables(db);
    // First start with orders: shipments already stored are history, not goods that just left.
    db.prepare(
      `INSERT OR IGNORE INTO order_marks (chain, seq)
         SELECT chain, MAX(seq) FROM shipments
          WHERE NOT EXISTS (SELECT 1 FROM orders) AND NOT EXISTS (SELECT 1 FROM order_marks)
          GROUP BY chain`,
    ).run();
    this.mark = db.prepare<[string], { seq: number }>(
      "SELECT seq FROM order_marks WHERE chain = ?",
    );
    this.setMark = db.prepare<[string, number]>(
      "INSERT INTO order_marks (chain, seq) VALUES (?, ?) ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq",
    );
    this.breachSeen = db.prepare<[string, number], { seq: number }>(
      "SELECT seq FROM order_breaches WHERE number = ? AND version = ?",
    );
    this.freshRows = db.prepare<[string, number], FreshShipment>(
      `SELECT chain, seq, epc, order_ref, customer FROM shipments
        WHERE chain = ? AND seq > ? AND order_ref IS NOT NULL ORDER BY seq`,
    );
    this.headRow = db.prepare<[string], { seq: number | null }>(
      "SELECT MAX(seq) AS seq FROM shipments WHERE chain = ?",
    );
    this.breachRecord = db.prepare<[string, number, number]>(
      "INSERT INTO order_breaches (number, version, seq) VALUES (?, ?, ?)",
    );
  }

  /** After node batches were stored: of one node's chain, or of every chain. Returns the breaches raised. */
  afterIngest(node?: string): HoldBreach[] {
    const chains =
      node === undefined
        ? prepared<[], { chain: string }>(this.db, "SELECT DISTINCT chain FROM shipments")
            .all()
            .map((row) => row.chain)
        : [node];
    const breaches: HoldBreach[] = [];
    for (const chain of chains) {
      const since = this.mark.get(chain)?.seq ?? 0;
      const fresh = this.freshRows.all(chain, since);
      const head = this.headRow.get(chain)?.seq;
      const byOrder = new Map<string, FreshShipment[]>();
      for (const shipment of fresh) {
        const list = byOrder.get(shipment.order_ref) ?? [];
        list.push(shipment);
        byOrder.set(shipment.order_ref, list);
      }
      for (const [number, shipments] of byOrder) {
        const breach = this.look(this.orders.records, number, shipments, chain);
        if (breach) breaches.push(breach);
      }
      // Only once all was looked at: a failure above is retried with the next batch.
      if (head !== null && head !== undefined && head > since) this.setMark.run(chain, head);
    }
    return breaches;
  }

  private look(
    records: OrderRecords,
    number: string,
    shipments: FreshShipment[],
    node: string,
  ): HoldBreach | undefined {
    const row = records.get(number);
    if (row && !DOCK_REFUSED_ORDER_STATES.includes(row.state)) {
      this.orders.refreshOne(row);
      return undefined;
    }
    const version = row?.version ?? 0;
    if (this.breachSeen.get(number, version)) return undefined;
    const breach: HoldBreach = {
      order: number,
      customer: row?.customer ?? shipments[0]?.customer ?? "",
      state: row ? (row.state as "held" | "cancelled") : "unknown",
      version,
      items: shipments.length,
      node,
      epcs: shipments.slice(0, 20).map((shipment) => shipment.epc),
    };
    const name = this.orders.customerName(breach.customer);
    const message = `goods left under credit hold: ${number} (${name}), ${breach.items} item${breach.items === 1 ? "" : "s"} seen leaving through ${node} while the order is ${breach.state === "unknown" ? "unknown to the gateway" : breach.state}`;
    this.db.transaction(() => {
      const entry = this.ledger.record("order.hold-breach", { ...breach }, SYSTEM);
      this.breachRecord.run(number, version, entry.seq);
    })();
    this.options.log.warn({ breach }, message);
    this.options.events?.publish?.("alert", {
      level: "warning",
      message,
      customer: breach.customer,
      node,
      code: "hold-breach",
    });
    return breach;
  }
}
