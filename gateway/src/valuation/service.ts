import { type Clock, type CostMethod, type Logger, silentLogger } from "@comptoir/contracts";
import type { AnalyticsConfig, ValuationConfig } from "@comptoir/firmware-config";
import type Database from "better-sqlite3";
import type { ValuationBook } from "./book.js";
import { type CatalogFacts, CatalogView, catalogMove } from "./catalog-view.js";
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
 * and the catalog. A catalog cost change moves the provisional layers in
 * place; only a change that can move past movements from one product to
 * another (a GTIN taken from a product, or given to one that items on site
 * already carry) builds the book again — a whole build reads every
 * movement, seconds on a large site.
 */
export class ValuationService {
  readonly method: CostMethod;
  readonly currency: string;
  private readonly log: Logger;
  private readonly movements: MovementSource;
  private readonly invoices: InvoiceCosts;
  private current: ValuationBook | undefined;
  private readonly catalogView: CatalogView;
  private catalog: CatalogFacts = { costs: new Map(), owners: new Map() };
  private catalogStamp = "";
  private unvaluedMoves: UnvaluedMovement[] = [];

  constructor(readonly options: ValuationServiceOptions) {
    this.method = options.method ?? "fifo";
    this.currency = options.currency ?? "EUR";
    this.log = (options.logger ?? silentLogger).child({ module: "valuation" });
    this.movements = new MovementSource(options.db);
    this.catalogView = new CatalogView(options.db);
    this.invoices = new InvoiceCosts(options.db, this.currency, (message, detail) =>
      this.log.warn(detail, message),
    );
  }

  /** The book, caught up with everything stored so far. */
  book(): ValuationBook {
    const { db } = this.options;
    return db.transaction(() => {
      if (!this.current || this.movements.commissionedLate()) return this.build();
      const stamp = this.catalogView.stamp();
      if (stamp !== this.catalogStamp && !this.followCatalog(this.current, stamp)) {
        return this.build();
      }
      return this.catchUp(this.current);
    })();
  }

  /** The next `book()` builds the book anew from the store (each read follows the catalog by itself). */
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
    this.catalogStamp = this.catalogView.stamp();
    this.catalog = this.catalogView.read();
    // Read at each use: a catalog cost change reaches layers registered after it.
    const book = createBook({ catalogCost: (sku) => this.catalog.costs.get(sku) ?? 0 });
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
        unitCost: this.catalog.costs.get(sku) ?? 0,
        provisional: true,
        invoice: null,
      });
    });
    for (const { key, cost } of costs) book.setCost(key, cost);
    return book;
  }

  /**
   * Brings the book to the catalog read now; false when only a build can:
   * a GTIN changed product or was taken away, or a GTIN new to the catalog
   * is on items the book left unvalued.
   */
  private followCatalog(book: ValuationBook, stamp: string): boolean {
    const now = this.catalogView.read();
    const move = catalogMove(this.catalog, now);
    if (move.regiven.length > 0) return false;
    if (move.added.length > 0) {
      const added = new Set(move.added);
      if (this.unvaluedMoves.some((m) => m.gtin !== null && added.has(m.gtin))) return false;
    }
    this.catalog = now;
    this.catalogStamp = stamp;
    if (move.recosted.size > 0) book.recostProvisional(move.recosted);
    return true;
  }
}

export type { AnalyticsConfig, ValuationConfig };
