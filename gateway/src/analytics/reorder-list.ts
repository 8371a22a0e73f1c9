import {
  formatDecimalMoney,
  type Logger,
  type ReorderListView,
  type ReorderRowView,
} from "@comptoir/contracts";
import type { Catalog } from "../catalog/service.js";
import { csvLine } from "../file-readers/csv-reader.js";
import type { ValuationService } from "../valuation/service.js";
import type { AnalyticsAlerts } from "./alerts.js";
import type { ReorderFigures } from "./reorder-figures.js";

export interface ReorderListDeps {
  figures: ReorderFigures;
  catalog: Catalog;
  valuation: ValuationService;
  alerts: AnalyticsAlerts;
  /** The site's currency (the credit side's). */
  currency: string;
  log?: Logger;
}

type UnitCost = { unitCost: number; provisional: boolean };

/**
 * The "to reorder" list (issue 16): every rule's figures with the product's
 * name, the cost of the next unit out (FIFO head, from the valuation book;
 * the catalog cost, provisional, when the book cannot be read), and since
 * when the current crossing's alert is open. Rows to reorder come first.
 */
export class ReorderList {
  constructor(private readonly deps: ReorderListDeps) {}

  list(options: { all?: boolean; asOf: string }): ReorderListView {
    const figures = this.deps.figures.all();
    const shown = options.all ? figures : figures.filter((figure) => figure.toReorder);
    const since = new Map(
      this.deps.alerts
        .list({ kind: "reorder", limit: 1_000_000 })
        .map((alert) => [alert.subject, alert.raisedAt]),
    );
    const costOf = this.costs();
    const rows = shown.map((figure): ReorderRowView => {
      const { subject, hysteresis: _hysteresis, ...row } = figure;
      const cost = costOf(figure.sku);
      return {
        ...row,
        name: this.deps.catalog.product(figure.sku)?.name ?? figure.sku,
        unitCost: cost.unitCost,
        amount: cost.unitCost * figure.suggested,
        provisionalCost: cost.provisional,
        since: since.get(subject) ?? null,
      };
    });
    rows.sort(
      (a, b) =>
        Number(b.toReorder) - Number(a.toReorder) ||
        a.sku.localeCompare(b.sku) ||
        (a.zone ?? "").localeCompare(b.zone ?? ""),
    );
    return { asOf: options.asOf, currency: this.deps.currency, rows };
  }

  /** Unit costs from the valuation book, read once per list; the catalog's when it cannot be read. */
  private costs(): (sku: string) => UnitCost {
    const catalogCost = (sku: string): UnitCost => ({
      unitCost: this.deps.catalog.product(sku)?.unitCost.amount ?? 0,
      provisional: true,
    });
    try {
      const book = this.deps.valuation.book();
      return (sku) => {
        const cost = book.nextUnitCost(sku);
        return { unitCost: cost.unitCost, provisional: cost.provisional };
      };
    } catch (error) {
      this.deps.log?.warn(
        { err: error },
        "reorder list: the valuation book could not be read — unit costs are the catalog's",
      );
      return catalogCost;
    }
  }
}

/** The purchase suggestion as CSV: one line per row, amounts as decimals with a dot. */
export function reorderCsv(view: ReorderListView): string {
  let out = csvLine(["sku", "name", "quantity", "unit_cost", "amount", "zone"]);
  for (const row of view.rows) {
    out += csvLine([
      row.sku,
      row.name,
      row.suggested,
      formatDecimalMoney({ amount: row.unitCost, currency: view.currency }),
      formatDecimalMoney({ amount: row.amount, currency: view.currency }),
      row.zone,
    ]);
  }
  return out;
}
