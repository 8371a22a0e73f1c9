import { type Clock, type CostMethod, type Logger, silentLogger } from "@comptoir/contracts";
import type { AnalyticsConfig, ValuationConfig } from "@comptoir/firmware-config";
import type Database from "better-sqlite3";
import { prepared } from "../store/prepared.js";
import type { ValuationBook } from "./book.js";
import { createBook } from "./engine.js";
import { isoMs } from "./instant.js";
import { InvoiceCosts } from "./invoice-costs.js";
import { MovementSource, type UnvaluedMovement } from "./movement-source.js";

export interface ValuationServiceOptions {
  db: Database.Database;
  clock: Clock;
  logger?: Logger;
  /** The site's method (gateway config `valuation.method`). */
  method?: CostMethod;
  /** The site's currency (credit.currency): supplier invoices in another set no cost. Default EUR. */
  currency?: string;
}

/** Items on site that have no product, so no cost. */
export interface Unvalued {
  /** Items of a GTIN no product has. */
  unknownProducts: number;
  /** Tags that are no SGTIN and nobody commissioned. */
  plainTags: number;
}

/**
 * The site's valuation book, caught up from the store each time it is
 * read: the movements stored since the last read (per node chain), the
 * supplier invoices that changed (a trigger-fed table, invoice-costs.ts),
 * and the catalog, whose change (costs, a GTIN given to a product) makes
 * the next read build the book again, since it can move past movements
 * from one product to another.
 */
export class ValuationService {
  readonly method: CostMethod;
  readonly currency: string;
  private readonly log: Logger;
  private readonly movements: MovementSource;
  private readonly invoices: InvoiceCosts;
  private current: ValuationBook | undefined;
  private catalogCosts = new Map<string, number>();
  private catalogStamp = "";
  private unvaluedMoves: UnvaluedMovement[] = [];

  constructor(readonly options: ValuationServiceOptions) {
    this.method = options.method ?? "fifo";
    this.currency = options.currency ?? "EUR";
    this.log = (options.logger ?? silentLogger).child({ module: "valuation" });
    this.movements = new MovementSource(options.db);
    this.invoices = new InvoiceCosts(options.db, this.currency, (message, detail) =>
      this.log.warn(detail, message),
    );
  }

  /** The book, caught up with everything stored so far. */
  book(): ValuationBook {
    const { db } = this.options;
    return db.transaction(() => {
      if (!this.current || this.catalogChanged() || this.movements.commissionedLate()) {
        return this.build();
      }
      return this.catchUp(this.current);
    })();
  }

  /** The next `book()` reads the catalog again and builds the book anew (call on a catalog change). */
  invalidate(): void {
    this.current = undefined;
  }

  /** Items on site with no product at `asOf` (now when absent), by what their tags say. */
  unvalued(asOf?: string): Unvalued {
    this.book();
    const asOfMs = asOf === undefined ? Infinity : isoMs(asOf);
    const last = new Map<string, UnvaluedMovement>();
    for (const move of this.unvaluedMoves) {
      const seen = last.get(move.epc);
      if (move.atMs <= asOfMs && (!seen || move.atMs >= seen.atMs)) last.set(move.epc, move);
    }
    const out: Unvalued = { unknownProducts: 0, plainTags: 0 };
    for (const move of last.values()) {
      if (!move.onSite) continue;
      if (move.gtin === null) out.plainTags++;
      else out.unknownProducts++;
    }
    return out;
  }

  private build(): ValuationBook {
    const started = performance.now();
    this.readCatalog();
    const costs = this.catalogCosts;
    const book = createBook({ catalogCost: (sku) => costs.get(sku) ?? 0 });
    this.movements.reset();
    this.movements.markEntries();
    this.unvaluedMoves = [];
    const { movements, unvalued } = this.movements.read();
    for (const movement of movements) book.apply(movement);
    this.unvaluedMoves.push(...unvalued);
    const invoiceCosts = this.invoices.all();
    for (const { key, cost } of invoiceCosts) book.setCost(key, cost);
    this.current = book;
    this.log.info(
      {
        movements: movements.length,
        unvalued: unvalued.length,
        invoiceCosts: invoiceCosts.length,
        ms: Math.round(performance.now() - started),
      },
      "valuation book built",
    );
    return book;
  }

  private catchUp(book: ValuationBook): ValuationBook {
    const { movements, unvalued } = this.movements.read();
    for (const movement of movements) book.apply(movement);
    this.unvaluedMoves.push(...unvalued);
    const costs = this.invoices.changed((key) => {
      const sku = key.slice(0, key.indexOf("\u0000"));
      book.setCost(key, {
        unitCost: this.catalogCosts.get(sku) ?? 0,
        provisional: true,
        invoice: null,
      });
    });
    for (const { key, cost } of costs) book.setCost(key, cost);
    return book;
  }

  private readCatalog(): void {
    this.catalogCosts = new Map();
    if (!this.hasProducts()) return;
    for (const row of prepared<[], { sku: string; unit_cost: number }>(
      this.options.db,
      "SELECT sku, unit_cost FROM products",
    ).all()) {
      this.catalogCosts.set(row.sku, row.unit_cost);
    }
    this.catalogStamp = this.stamp();
  }

  /** Something in the catalog changed since the book was built (a cost, a product, a GTIN). */
  private catalogChanged(): boolean {
    return this.hasProducts() && this.stamp() !== this.catalogStamp;
  }

  private hasProducts(): boolean {
    return (
      prepared<[], { found: number }>(
        this.options.db,
        "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'products'",
      ).get() !== undefined
    );
  }

  private stamp(): string {
    const row = prepared<[], { stamp: string }>(
      this.options.db,
      `SELECT (SELECT COUNT(*) || '/' || COALESCE(MAX(updated_at), '') || '/' || COALESCE(SUM(unit_cost), 0) FROM products)
         || '/' || (SELECT COUNT(*) FROM product_gtins) AS stamp`,
    ).get();
    return row?.stamp ?? "";
  }
}

export type { AnalyticsConfig, ValuationConfig };
