/**
 * What each part of the "Value and analytics" page draws from its checked
 * answer: charts where a person would rather look than read, a table beside
 * each for the figures. Products are named by SKU with their name beside.
 */
import { bars, columns, line, pareto } from "./charts.js";
// A period's end as a date (`day`): reports run from a day to a day.
import { ago, type Child, day, h, money, num, table, time } from "./core.js";
import { data } from "./data.js";
import type {
  Abc,
  AlertRow,
  DwellBucket,
  OldItem,
  ReorderRow,
  Rotation,
  Rows,
  Valuation,
  ValuePoint,
  ZoneDiscipline,
} from "./value-data.js";

/** A product's SKU in bold with its name beside (the catalog's when the answer gives none). */
function product(sku: string | null, name?: string | null): Child[] {
  if (sku === null) return [h("span", { className: "muted" }, "—")];
  const shown = name || data.products.get(sku)?.name;
  return [h("b", {}, sku), shown ? h("span", { className: "sub" }, ` ${shown}`) : null];
}

const cell = (className: string, ...children: Child[]) => h("td", { className }, ...children);
/** A label that fits the chart's margin; the product's SKU and whole name are in the table beside. */
const short = (text: string) => (text.length > 22 ? `${text.slice(0, 21)}…` : text);
const fixed = (n: number | null, digits: number) => (n === null ? "—" : n.toFixed(digits));
const percent = (n: number) => `${n.toFixed(1)} %`;

/** Rows of an answer left out because their shape was not the documented one: said, not hidden. */
function skippedNote(list: Rows<unknown>): Child {
  return list.skipped
    ? h(
        "p",
        { className: "error" },
        `${num(list.skipped)} rows had an unexpected shape and are not shown`,
      )
    : null;
}

/** The stock value by the site's method now, its provisional part, and its history per day. */
export function valueNodes(value: Valuation, history: ValuePoint[] | null): Child[] {
  const { totals, currency } = value;
  const unvalued = value.unvalued.unknownProducts + value.unvalued.plainTags;
  const method = value.method === "fifo" ? "FIFO" : "weighted average cost";
  return [
    h("div", { className: "figure", id: "value-total" }, money(totals.value, currency)),
    h(
      "div",
      { className: "sub" },
      `${method} · ${num(totals.quantity)} items · as of ${time(value.asOf)}`,
    ),
    h(
      "div",
      { className: "sub", id: "value-provisional" },
      totals.provisionalQuantity
        ? `of which ${money(totals.provisionalValue, currency)} for ${num(totals.provisionalQuantity)} items at catalog cost, until their supplier invoice`
        : "every item at its supplier invoice's cost",
    ),
    h(
      "div",
      { className: "sub", id: "value-actual" },
      `${money(totals.actualValue, currency)} for the units actually on site, each at its own cost (${money(totals.actualValue - totals.value, currency)} from FIFO)`,
    ),
    unvalued
      ? h("div", { className: "sub" }, `${num(unvalued)} items without a product, not valued`)
      : null,
    history === null
      ? h("p", { className: "empty" }, "no history of the value")
      : history.length === 0
        ? h("p", { className: "empty" }, "no value yet")
        : line(
            history.map((p) => ({ label: p.date, value: p.value, text: money(p.value, currency) })),
            {
              label: `stock value per day, ${history[0]?.date} to ${history[history.length - 1]?.date}`,
              max: money(Math.max(0, ...history.map((p) => p.value)), currency),
            },
          ),
  ];
}

const CLASS_TONE = { A: "class-a", B: "class-b", C: "class-c" } as const;

/** The ABC classes: the Pareto curve with its thresholds, then each product's class. */
export function abcNodes(abc: Abc): Child[] {
  const rows = abc.rows.rows;
  const count = (c: "A" | "B" | "C") => rows.filter((r) => r.class === c).length;
  return [
    h(
      "p",
      { className: "sub" },
      `consumption value from ${day(abc.from)} to ${day(abc.to)} · A ${num(count("A"))} · B ${num(count("B"))} · C ${num(count("C"))}`,
    ),
    rows.length
      ? pareto(
          rows.map((r) => ({
            label: short(r.name || r.sku),
            share: r.share,
            cumulative: r.cumulative,
            tone: CLASS_TONE[r.class],
            text: `${r.sku} ${r.name}: ${money(r.value, abc.currency)}, ${percent(r.share)} (class ${r.class})`,
          })),
          {
            label: "ABC Pareto curve: share of consumption value per product and its cumulative",
            thresholds: [
              { at: abc.thresholds.a, text: `A ≤ ${abc.thresholds.a} %` },
              { at: abc.thresholds.b, text: `B ≤ ${abc.thresholds.b} %` },
            ],
          },
        )
      : null,
    skippedNote(abc.rows),
    table(
      ["Class", "Product", "Consumption value ", "Share ", "Cumulative "],
      rows.map((r) =>
        h(
          "tr",
          { dataset: { sku: r.sku, class: r.class } },
          cell(
            "nowrap",
            h("span", { className: `badge ${CLASS_TONE[r.class]}` }, r.class),
            r.previous && r.previous !== r.class
              ? h(
                  "span",
                  { className: "sub", title: "its class at the previous run" },
                  ` was ${r.previous}`,
                )
              : null,
          ),
          cell("product", product(r.sku, r.name)),
          cell("num", money(r.value, abc.currency)),
          cell("num", percent(r.share)),
          cell("num", percent(r.cumulative)),
        ),
      ),
      "nothing consumed in the period",
    ),
  ];
}

/** Turnover per product (COGS over average stock value), the fastest first, and days of stock. */
export function turnoverNodes(rotation: Rotation): Child[] {
  const rows = [...rotation.rows.rows].sort(
    (a, b) => (b.turnover ?? -1) - (a.turnover ?? -1) || a.sku.localeCompare(b.sku),
  );
  const charted = rows.filter((r) => r.turnover !== null).slice(0, 20);
  return [
    h(
      "p",
      { className: "sub" },
      `over ${num(rotation.days)} days, ${day(rotation.from)} to ${day(rotation.to)}`,
    ),
    charted.length
      ? bars(
          charted.map((r) => ({
            label: short(r.name || data.products.get(r.sku)?.name || r.sku),
            value: r.turnover ?? 0,
            text: `${fixed(r.turnover, 2)}×`,
          })),
          { label: "turnover per product", labelWidth: 140 },
        )
      : null,
    skippedNote(rotation.rows),
    table(
      [
        "Product",
        "Turnover ",
        "Days of stock ",
        "COGS ",
        "Average value ",
        "Out ",
        "On site ",
        "Not oldest first ",
      ],
      rows.map((r) =>
        h(
          "tr",
          { dataset: { sku: r.sku } },
          cell("product", product(r.sku, r.name)),
          cell("num turnover", r.turnover === null ? "—" : `${fixed(r.turnover, 2)}×`),
          cell("num", fixed(r.daysOfStock, 1)),
          cell("num", money(r.cogs, rotation.currency)),
          cell("num", money(r.averageValue, rotation.currency)),
          cell("num", num(r.unitsOut)),
          cell("num", num(r.onSite)),
          cell("num", num(r.fifoBreaches)),
        ),
      ),
      "no product moved in the period",
    ),
  ];
}

/** How long the units that left stayed (histogram), and the oldest units still on site. */
export function dwellNodes(buckets: DwellBucket[], oldest: Rows<OldItem>): Child[] {
  return [
    buckets.some((b) => b.count > 0)
      ? columns(
          buckets.map((b) => ({ label: `${b.label} days`, value: b.count, tick: b.label })),
          { label: "units that left, by days on site", unit: "units" },
        )
      : h("p", { className: "empty" }, "no unit has left yet"),
    h("h3", {}, "Oldest on site"),
    skippedNote(oldest),
    table(
      ["Product", "EPC", "Zone", "Received", "Age (days) "],
      oldest.rows.map((o) =>
        h(
          "tr",
          { dataset: { epc: o.epc, sku: o.sku } },
          cell("product", product(o.sku, o.name)),
          cell("epc", h("code", {}, o.epc)),
          cell("", o.zone ?? "—"),
          cell("nowrap", time(o.receivedAt)),
          cell("num", o.ageDays.toFixed(1)),
        ),
      ),
      "no unit on site",
    ),
  ];
}

/** FIFO discipline per zone: units picked while an older one of the same product was on site. */
export function fifoNodes(zones: Rows<ZoneDiscipline>): Child[] {
  return [
    skippedNote(zones),
    table(
      ["Zone", "Units out ", "Newer taken first ", "Rate "],
      zones.rows.map((z) =>
        h(
          "tr",
          { dataset: { zone: z.zone } },
          cell("", z.zone),
          cell("num", num(z.out)),
          cell("num", num(z.breaches)),
          cell(
            "num",
            h("span", { dataset: { tone: z.breaches ? "warn" : "ok" } }, percent(z.rate)),
          ),
        ),
      ),
      "no unit has left yet",
    ),
  ];
}

const ALERT_WORDS: Record<AlertRow["kind"], string> = {
  "below-cost": "under cost",
  "below-margin": "under its floor",
  "slow-mover": "slow mover",
  "old-stock": "old stock",
  reorder: "to reorder",
};

/** Open alerts (margin under cost or under its floor; slow movers and old stock), newest first. */
export function alertNodes(alerts: AlertRow[], empty: string): Child {
  return table(
    ["", "Product", "What", "Raised"],
    alerts.map((a) =>
      h(
        "tr",
        { dataset: { kind: a.kind, subject: a.subject } },
        cell(
          "nowrap",
          h(
            "span",
            { className: "badge", dataset: { tone: a.kind === "below-cost" ? "bad" : "warn" } },
            ALERT_WORDS[a.kind],
          ),
        ),
        cell("product", product(a.sku)),
        cell("", a.message),
        cell("nowrap", h("span", { title: time(a.raisedAt) }, ago(a.raisedAt))),
      ),
    ),
    empty,
  );
}

/** The products at or under their reorder point, with the suggested quantity and what it costs. */
export function reorderNodes(
  list: { currency: string; rows: Rows<ReorderRow> },
  all: boolean,
): Child[] {
  const rows = list.rows.rows.filter((r) => all || r.toReorder);
  const suggestedValue = rows.reduce(
    (sum, r) => sum + (r.toReorder ? r.suggested * r.unitCost : 0),
    0,
  );
  const due = list.rows.rows.filter((r) => r.toReorder).length;
  return [
    h(
      "p",
      { className: "sub", id: "reorder-summary" },
      due
        ? `${num(due)} to reorder · about ${money(suggestedValue, list.currency)} at the next units' cost`
        : `nothing to reorder · ${num(list.rows.rows.length)} rules`,
    ),
    skippedNote(list.rows),
    table(
      ["Product", "Zone", "Available ", "Point ", "Target ", "Pack ", "Suggested ", "Since"],
      rows.map((r) =>
        h(
          "tr",
          { dataset: { sku: r.sku, zone: r.zone ?? "", due: String(r.toReorder) } },
          cell("product", product(r.sku, r.name)),
          cell("", r.zone ?? "site"),
          cell(
            "num",
            h(
              "span",
              {
                title: `${num(r.onSite)} on site − ${num(r.reserved)} for approved orders not yet shipped`,
                dataset: { tone: r.toReorder ? "warn" : "" },
              },
              num(r.available),
            ),
          ),
          cell(
            "num",
            h(
              "span",
              {
                title: r.inputs
                  ? `${r.inputs.averageDailyDemand.toFixed(2)} a day over ${r.inputs.windowDays} days × ${r.inputs.leadTimeDays} days' lead time + ${r.inputs.safetyStock} safety stock`
                  : "a fixed minimum",
              },
              num(r.point),
              r.inputs ? " *" : "",
            ),
          ),
          cell("num", num(r.target)),
          cell("num", num(r.pack)),
          cell("num suggested", r.toReorder ? h("b", {}, num(r.suggested)) : "—"),
          cell("nowrap", r.since ? h("span", { title: time(r.since) }, ago(r.since)) : ""),
        ),
      ),
      all ? "no reorder rule" : "nothing to reorder",
    ),
  ];
}
