import type { Clock, CostMethod, Logger } from "@comptoir/contracts";
import type { AnalyticsConfig, ValuationConfig } from "@comptoir/firmware-config";
import type Database from "better-sqlite3";
import type { ValuationBook } from "./book.js";

export interface ValuationServiceOptions {
  db: Database.Database;
  clock: Clock;
  logger?: Logger;
  /** The site's method (gateway config `valuation.method`). */
  method?: CostMethod;
}

/**
 * PLACEHOLDER, replaced by the valuation helper: the site's valuation book,
 * caught up from the store (movements, supplier invoice lines, catalog costs)
 * each time it is read.
 */
export class ValuationService {
  readonly method: CostMethod;
  constructor(readonly options: ValuationServiceOptions) {
    this.method = options.method ?? "fifo";
  }

  /** The book, caught up with everything stored so far. */
  book(): ValuationBook {
    throw new Error("valuation book not built yet");
  }
}

export type { AnalyticsConfig, ValuationConfig };
