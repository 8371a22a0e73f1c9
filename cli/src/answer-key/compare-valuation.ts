import type {
  CogsReportView,
  FifoDisciplineView,
  MarginListView,
  ValuationReportView,
} from "@comptoir/contracts";
import type { JsonApi } from "@comptoir/simulators";
import type { AnswerKey } from "./key.js";
import { compareMargins, type KeyProductCogs, type KeyProductValue } from "./key-valuation.js";

/** Counts one figure, and records it when the key and the API differ. */
export type Check = (figure: string, key: unknown, api: unknown) => void;

const NO_VALUE: KeyProductValue = { quantity: 0, value: 0, actualValue: 0, provisionalQuantity: 0 };
const NO_COGS: KeyProductCogs = { quantity: 0, cogs: 0, actualCost: 0, difference: 0 };
const NO_EXIT = { out: 0, breaches: 0 };

/**
 * Reads the valuation APIs (stock value, COGS over the whole history,
 * margins per customer invoice line, FIFO discipline) and checks each
 * figure against the key, to the cent. Which products a report lists is
 * the API's choice: a product one side leaves out counts as zero there,
 * so only the figures are judged. Answers the number of margin rows read.
 */
export async function compareValuation(
  api: JsonApi,
  key: AnswerKey,
  check: Check,
): Promise<{ marginRows: number }> {
  // A report the API cannot give is one difference, and the others are still compared.
  const attempt = async <T>(what: string, run: () => Promise<T>, failed: T): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      check(what, "an answer", error instanceof Error ? error.message : String(error));
      return failed;
    }
  };
  await attempt("GET /valuation", () => compareValue(api, key, check), undefined);
  await attempt("GET /valuation/cogs", () => compareCogs(api, key, check), undefined);
  const marginRows = await attempt(
    "GET /valuation/margins",
    () => compareMarginRows(api, key, check),
    0,
  );
  await attempt("GET /analytics/fifo", () => compareFifo(api, key, check), undefined);
  return { marginRows };
}

async function compareValue(api: JsonApi, key: AnswerKey, check: Check): Promise<void> {
  const value = await api.get<ValuationReportView>("/valuation?method=fifo");
  check("stock value (FIFO)", key.stockValue, value.totals.value);
  const rows = new Map(value.rows.map((row) => [row.sku, row]));
  for (const sku of union(Object.keys(key.valuation), rows.keys())) {
    const row = rows.get(sku);
    check(
      `stock value of ${sku}`,
      key.valuation[sku] ?? NO_VALUE,
      row
        ? {
            quantity: row.quantity,
            value: row.value,
            actualValue: row.actualValue,
            provisionalQuantity: row.provisionalQuantity,
          }
        : NO_VALUE,
    );
  }
  check(
    "stock value totals",
    {
      quantity: key.valuationTotal.quantity,
      actualValue: key.valuationTotal.actualValue,
      provisionalQuantity: key.valuationTotal.provisionalQuantity,
    },
    {
      quantity: value.totals.quantity,
      actualValue: value.totals.actualValue,
      provisionalQuantity: value.totals.provisionalQuantity,
    },
  );
  check("items on site with no cost", key.unvalued, {
    unknownProducts: value.unvalued.unknownProducts,
    plainTags: value.unvalued.plainTags,
  });
}

async function compareCogs(api: JsonApi, key: AnswerKey, check: Check): Promise<void> {
  const cogs = await api.get<CogsReportView>("/valuation/cogs?method=fifo");
  const cogsRows = new Map(cogs.rows.map((row) => [row.sku, row]));
  for (const sku of union(Object.keys(key.cogs), cogsRows.keys())) {
    const row = cogsRows.get(sku);
    const expected = key.cogs[sku] ?? NO_COGS;
    // Every unit of the plan leaves through the dock door: shipped, none sold or written off.
    check(
      `COGS of ${sku}`,
      { ...expected, shipped: expected.quantity, sold: 0, writtenOff: 0 },
      row
        ? {
            quantity: row.quantity,
            cogs: row.cogs,
            actualCost: row.actualCost,
            difference: row.difference,
            shipped: row.shipped,
            sold: row.sold,
            writtenOff: row.writtenOff,
          }
        : { ...NO_COGS, shipped: 0, sold: 0, writtenOff: 0 },
    );
  }
  const cogsTotal = Object.values(key.cogs).reduce(
    (sum, row) => ({
      quantity: sum.quantity + row.quantity,
      cogs: sum.cogs + row.cogs,
      actualCost: sum.actualCost + row.actualCost,
      difference: sum.difference + row.difference,
    }),
    NO_COGS,
  );
  check("COGS totals", cogsTotal, {
    quantity: cogs.totals.quantity,
    cogs: cogs.totals.cogs,
    actualCost: cogs.totals.actualCost,
    difference: cogs.totals.difference,
  });
}

/** Answers the number of invoice rows the API listed. */
async function compareMarginRows(api: JsonApi, key: AnswerKey, check: Check): Promise<number> {
  const margins = await api.get<MarginListView>("/valuation/margins?source=invoice&method=fifo");
  const listed = new Map(
    margins.rows
      .filter((row) => row.source === "invoice")
      .map((row) => [`${row.document}|${row.line}`, row]),
  );
  const keyed = new Map(key.margins.map((row) => [`${row.invoice}|${row.line}`, row]));
  const ids = [...union(keyed.keys(), listed.keys())].map((id) => {
    const [invoice, line] = id.split("|") as [string, string];
    return { id, invoice, line };
  });
  for (const { id, invoice, line } of ids.sort(compareMargins)) {
    const expected = keyed.get(id);
    const row = listed.get(id);
    check(
      `margin of ${invoice} line ${line}`,
      expected
        ? {
            order: expected.order,
            sku: expected.sku,
            quantity: expected.quantity,
            revenue: expected.revenue,
            cogs: expected.cogs,
            margin: expected.margin,
            estimated: expected.estimated,
          }
        : null,
      row
        ? {
            order: row.order,
            sku: row.sku,
            quantity: row.quantity,
            revenue: row.revenue,
            cogs: row.cogs,
            margin: row.margin,
            estimated: row.estimated,
          }
        : null,
    );
  }
  const revenue = key.margins.reduce((sum, row) => sum + row.revenue, 0);
  const cost = key.margins.reduce((sum, row) => sum + row.cogs, 0);
  check(
    "margin totals",
    { revenue, cogs: cost, margin: revenue - cost },
    { revenue: margins.totals.revenue, cogs: margins.totals.cogs, margin: margins.totals.margin },
  );
  return listed.size;
}

async function compareFifo(api: JsonApi, key: AnswerKey, check: Check): Promise<void> {
  const fifo = await api.get<FifoDisciplineView>("/analytics/fifo");
  const bySku = new Map(fifo.bySku.map((row) => [row.sku, row]));
  for (const sku of union(Object.keys(key.fifoBreaches), bySku.keys())) {
    const row = bySku.get(sku);
    check(
      `FIFO discipline of ${sku}`,
      key.fifoBreaches[sku] ?? NO_EXIT,
      row ? { out: row.out, breaches: row.breaches } : NO_EXIT,
    );
  }
}

function union(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}
