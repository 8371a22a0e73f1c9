import {
  COMMISSION_TYPE,
  CommissionDataSchema,
  explicitSku,
  isLateNews,
  type LedgerEntry,
  MOVEMENT_TYPE,
  SALE_TYPE,
  SaleDataSchema,
} from "@comptoir/contracts";
import type { Database, Statement } from "better-sqlite3";
import { effectiveAtSql, flaggedAtReceiptSql } from "./clock-flags.js";
import { movementData } from "./movement-check.js";
import { NO_KEY } from "./schema.js";

/** What the gateway knows of a tag: the SKU it was commissioned to, its GTIN, its place. */
interface TagRow {
  sku: string | null;
  gtin: string | null;
  zone: string | null;
}

/**
 * Applies a node's entries to the site's projections inside the caller's
 * transaction (call `flush()` before it commits), with the same meaning as contracts' StockProjection: each tag
 * has one place; a movement sets it (keeping a commissioned SKU when the
 * movement has none); a commission names the SKU of a tag where it is.
 * What is stored is what the tags said (commissioned SKU, GTIN); the
 * product of a GTIN is found when read (identity.ts), never here.
 */
export class Projector {
  private readonly findTag: Statement<[string], TagRow>;
  private readonly placedAt: Statement<[string], { at: string }>;
  private readonly flaggedAt: Statement<[{ chain: string; at: string }], { flagged: number }>;
  private readonly upsertTag: Statement<
    [string, string | null, string | null, string | null, string, number]
  >;
  private readonly addStock: Statement<[string, string, string, number]>;
  private readonly dropEmpty: Statement<[string, string, string]>;
  /** Stock changes of the batch being applied, written once per (sku, gtin, zone) by `flush`. */
  private readonly deltas = new Map<
    string,
    { sku: string; gtin: string; zone: string; delta: number }
  >();
  private readonly insertMovement: Statement<
    [
      string,
      number,
      string,
      string | null,
      string | null,
      string,
      string | null,
      string | null,
      string,
      string,
    ]
  >;

  private readonly insertSale: Statement<
    [
      string,
      number,
      string,
      string,
      string | null,
      string,
      string,
      number,
      string | null,
      string,
      string,
    ]
  >;

  private readonly insertShipment: Statement<
    [string, number, string, string | null, string | null, string | null, string, string]
  >;

  constructor(db: Database) {
    this.findTag = db.prepare("SELECT sku, gtin, zone FROM tags WHERE epc = ?");
    // When the movement that gave a tag its current place was observed: by the gateway's
    // receive time when its node's clock was flagged then (gateway README, "Clocks").
    this.placedAt = db.prepare(
      `SELECT ${effectiveAtSql("m")} AS at FROM tags t JOIN movements m ON m.chain = t.chain AND m.seq = t.seq WHERE t.epc = ?`,
    );
    this.flaggedAt = db.prepare(`SELECT ${flaggedAtReceiptSql("@chain", "@at")} AS flagged`);
    this.upsertTag = db.prepare(
      "INSERT INTO tags (epc, sku, gtin, zone, chain, seq) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (epc) DO UPDATE SET sku = excluded.sku, gtin = excluded.gtin, zone = excluded.zone, chain = excluded.chain, seq = excluded.seq",
    );
    this.addStock = db.prepare(
      "INSERT INTO stock (sku, gtin, zone, count) VALUES (?, ?, ?, ?) ON CONFLICT (sku, gtin, zone) DO UPDATE SET count = count + excluded.count",
    );
    this.dropEmpty = db.prepare(
      "DELETE FROM stock WHERE sku = ? AND gtin = ? AND zone = ? AND count = 0",
    );
    this.insertMovement = db.prepare(
      "INSERT INTO movements (chain, seq, epc, sku, gtin, kind, from_zone, to_zone, at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.insertShipment = db.prepare(
      "INSERT INTO shipments (chain, seq, epc, sku, gtin, order_ref, customer, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.insertSale = db.prepare(
      "INSERT INTO sales (chain, seq, id, payment, customer, clerk, currency, total, override, at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
  }

  apply(entry: LedgerEntry, receivedAt: string): void {
    if (entry.type === MOVEMENT_TYPE) {
      const movement = movementData(entry.data);
      if (!movement) return;
      const before = this.findTag.get(movement.epc);
      const sku = explicitSku(movement) ?? before?.sku ?? null;
      const gtin = movement.gtin ?? before?.gtin ?? null;
      this.insertMovement.run(
        entry.chain,
        entry.seq,
        movement.epc,
        sku,
        gtin,
        movement.kind,
        movement.from,
        movement.to,
        movement.at,
        receivedAt,
      );
      // History always; the place only when this is not late news (isLateNews). Only a
      // receive, or a move of an item now off the site, can be: the rare case pays the query.
      const judged = before && (movement.from === null || before.zone === null);
      const placedAt = judged ? this.placedAt.get(movement.epc)?.at : undefined;
      const last =
        placedAt === undefined ? undefined : { at: placedAt, zone: before?.zone ?? null };
      // A node with a flagged clock could make a real, newer move look like late news.
      const at =
        last !== undefined && this.flaggedAt.get({ chain: entry.chain, at: receivedAt })?.flagged
          ? receivedAt
          : movement.at;
      if (!isLateNews({ from: movement.from, at }, last)) {
        this.place(movement.epc, before, { sku, gtin, zone: movement.to }, entry);
      }
      if (movement.kind === "ship" && movement.customer) {
        this.insertShipment.run(
          entry.chain,
          entry.seq,
          movement.epc,
          sku,
          gtin,
          movement.order ?? null,
          movement.customer,
          movement.at,
        );
      }
    } else if (entry.type === COMMISSION_TYPE) {
      const parsed = CommissionDataSchema.safeParse(entry.data);
      if (!parsed.success) return;
      const before = this.findTag.get(parsed.data.epc);
      const gtin = parsed.data.gtin ?? before?.gtin ?? null;
      this.place(
        parsed.data.epc,
        before,
        { sku: parsed.data.sku, gtin, zone: before?.zone ?? null },
        entry,
      );
    } else if (entry.type === SALE_TYPE) {
      // Counter sales feed credit exposure; the items leave stock by their own movements.
      const parsed = SaleDataSchema.safeParse(entry.data);
      if (!parsed.success) return;
      const sale = parsed.data;
      this.insertSale.run(
        entry.chain,
        entry.seq,
        sale.id,
        sale.payment,
        sale.customer ?? null,
        sale.clerk,
        sale.currency,
        sale.total,
        sale.override ? JSON.stringify(sale.override) : null,
        sale.at,
        receivedAt,
      );
    }
  }

  /** Writes the batch's stock changes: one statement per (sku, gtin, zone) touched, not per item. */
  flush(): void {
    for (const { sku, gtin, zone, delta } of this.deltas.values()) {
      if (delta === 0) continue;
      this.addStock.run(sku, gtin, zone, delta);
      if (delta < 0) this.dropEmpty.run(sku, gtin, zone);
    }
    this.deltas.clear();
  }

  private place(epc: string, before: TagRow | undefined, next: TagRow, entry: LedgerEntry): void {
    if (before?.zone) this.count(before, before.zone, -1);
    if (next.zone) this.count(next, next.zone, 1);
    this.upsertTag.run(epc, next.sku, next.gtin, next.zone, entry.chain, entry.seq);
  }

  /** Stock is kept by the commissioned SKU, else by the GTIN (identity.ts). */
  private count(tag: TagRow, zone: string, delta: number): void {
    const sku = tag.sku ?? NO_KEY;
    const gtin = tag.sku === null ? (tag.gtin ?? NO_KEY) : NO_KEY;
    const key = `${sku}\u0000${gtin}\u0000${zone}`;
    const current = this.deltas.get(key);
    if (current) current.delta += delta;
    else this.deltas.set(key, { sku, gtin, zone, delta });
  }
}
