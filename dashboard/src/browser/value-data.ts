/**
 * The answers of /valuation and /analytics as the "Value and analytics" page
 * reads them: a check per answer (the page trusts nothing it did not check),
 * each typed against the contract's view, and the CSV download every list
 * offers.
 *
 * The checks are written here rather than running the contract's zod
 * schemas in the browser: zod would add about 450 kB (minified) to a
 * dashboard of 55 kB. Each check names the fields the page reads from the
 * view type, so a field renamed in contracts fails the typecheck here.
 */
import type {
  AbcReportView,
  AnalyticsAlertView,
  DwellReportView,
  FifoDisciplineView,
  ReorderRowView,
  RotationRowView,
  ValuationReportView,
  ValueHistoryView,
} from "@comptoir/contracts";
import { ApiError, isInt, isObj, isStr, isStrOrNull, session } from "./core.js";

type Check = (v: unknown) => boolean;
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const orNull =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
const oneOf =
  (...values: readonly string[]): Check =>
  (v) =>
    isStr(v) && values.includes(v);

/** A guard for an object with these fields (every key of T checked: one left out fails the typecheck). */
function shape<T>(spec: { readonly [K in keyof T]-?: Check }): (v: unknown) => v is T {
  const entries = Object.entries(spec) as [string, Check][];
  return (v: unknown): v is T => isObj(v) && entries.every(([key, check]) => check(v[key]));
}

/** The rows of a list that pass `check`, and how many did not (said on the page, never dropped silently). */
export interface Rows<T> {
  rows: T[];
  skipped: number;
}
function rowsOf<T>(value: unknown, check: (v: unknown) => v is T): Rows<T> | null {
  if (!Array.isArray(value)) return null;
  const rows = value.filter(check);
  return { rows, skipped: value.length - rows.length };
}

// ── GET /valuation and /valuation/history ──
export type ValuationRow = Pick<
  ValuationReportView["rows"][number],
  "sku" | "name" | "quantity" | "value" | "provisionalQuantity" | "actualValue"
>;
export type Valuation = Pick<ValuationReportView, "asOf" | "method" | "currency" | "totals"> & {
  rows: Rows<ValuationRow>;
  unvalued: ValuationReportView["unvalued"];
};
const isValuationRow = shape<ValuationRow>({
  sku: isStr,
  name: isStr,
  quantity: isInt,
  value: isInt,
  provisionalQuantity: isInt,
  actualValue: isInt,
});
const isTotals = shape<ValuationReportView["totals"]>({
  quantity: isInt,
  value: isInt,
  actualValue: isInt,
  provisionalQuantity: isInt,
  provisionalValue: isInt,
});
const isUnvalued = shape<ValuationReportView["unvalued"]>({
  unknownProducts: isInt,
  plainTags: isInt,
});
export function valuationOf(body: unknown): Valuation | null {
  if (!isObj(body) || !isStr(body.asOf) || !isStr(body.currency)) return null;
  if (!(body.method === "fifo" || body.method === "average")) return null;
  if (!isTotals(body.totals) || !isUnvalued(body.unvalued)) return null;
  const rows = rowsOf(body.rows, isValuationRow);
  if (!rows) return null;
  return {
    asOf: body.asOf,
    method: body.method,
    currency: body.currency,
    totals: body.totals,
    unvalued: body.unvalued,
    rows,
  };
}

export type ValuePoint = ValueHistoryView["points"][number];
const isValuePoint = shape<ValuePoint>({ date: isStr, value: isInt, quantity: isInt });
export function historyOf(body: unknown): { currency: string; points: ValuePoint[] } | null {
  if (!isObj(body) || !isStr(body.currency)) return null;
  const points = rowsOf(body.points, isValuePoint);
  return points ? { currency: body.currency, points: points.rows } : null;
}

// ── GET /analytics/rotation ──
export type RotationRow = Pick<
  RotationRowView,
  | "sku"
  | "name"
  | "cogs"
  | "averageValue"
  | "turnover"
  | "daysOfStock"
  | "unitsOut"
  | "onSite"
  | "fifoBreaches"
>;
const isRotationRow = shape<RotationRow>({
  sku: isStr,
  name: isStr,
  cogs: isInt,
  averageValue: isInt,
  turnover: orNull(isNum),
  daysOfStock: orNull(isNum),
  unitsOut: isInt,
  onSite: isInt,
  fifoBreaches: isInt,
});
export interface Rotation {
  from: string;
  to: string;
  days: number;
  currency: string;
  rows: Rows<RotationRow>;
}
export function rotationOf(body: unknown): Rotation | null {
  if (!isObj(body) || !isStr(body.from) || !isStr(body.to) || !isInt(body.days)) return null;
  if (!isStr(body.currency)) return null;
  const rows = rowsOf(body.rows, isRotationRow);
  return rows
    ? { from: body.from, to: body.to, days: body.days, currency: body.currency, rows }
    : null;
}

// ── GET /analytics/dwell ──
export type DwellBucket = DwellReportView["buckets"][number];
export type OldItem = DwellReportView["oldest"][number];
const isBucket = shape<DwellBucket>({
  label: isStr,
  fromDays: isNum,
  toDays: orNull(isNum),
  count: isInt,
});
const isOldItem = shape<OldItem>({
  epc: isStr,
  sku: isStr,
  name: isStr,
  zone: isStrOrNull,
  receivedAt: isStr,
  ageDays: isNum,
});
export function dwellOf(body: unknown): { buckets: DwellBucket[]; oldest: Rows<OldItem> } | null {
  if (!isObj(body)) return null;
  const buckets = rowsOf(body.buckets, isBucket);
  const oldest = rowsOf(body.oldest, isOldItem);
  return buckets && oldest ? { buckets: buckets.rows, oldest } : null;
}

// ── GET /analytics/fifo ──
export type ZoneDiscipline = FifoDisciplineView["byZone"][number];
const isZoneDiscipline = shape<ZoneDiscipline>({
  zone: isStr,
  out: isInt,
  breaches: isInt,
  rate: isNum,
});
export function fifoOf(body: unknown): Rows<ZoneDiscipline> | null {
  return isObj(body) ? rowsOf(body.byZone, isZoneDiscipline) : null;
}

// ── GET /analytics/abc ──
export type AbcRow = Pick<
  AbcReportView["rows"][number],
  "sku" | "name" | "value" | "share" | "cumulative" | "class" | "previous"
>;
const ABC = ["A", "B", "C"] as const;
const isAbcRow = shape<AbcRow>({
  sku: isStr,
  name: isStr,
  value: isInt,
  share: isNum,
  cumulative: isNum,
  class: oneOf(...ABC),
  previous: orNull(oneOf(...ABC)),
});
export interface Abc {
  from: string;
  to: string;
  thresholds: { a: number; b: number };
  currency: string;
  rows: Rows<AbcRow>;
}
export function abcOf(body: unknown): Abc | null {
  if (!isObj(body) || !isStr(body.from) || !isStr(body.to) || !isStr(body.currency)) return null;
  const t = body.thresholds;
  if (!isObj(t) || !isNum(t.a) || !isNum(t.b)) return null;
  const rows = rowsOf(body.rows, isAbcRow);
  return rows
    ? {
        from: body.from,
        to: body.to,
        thresholds: { a: t.a, b: t.b },
        currency: body.currency,
        rows,
      }
    : null;
}

// ── GET /analytics/alerts ──
export type AlertRow = Pick<
  AnalyticsAlertView,
  "id" | "kind" | "subject" | "sku" | "message" | "raisedAt" | "clearedAt"
>;
const isAlertRow = shape<AlertRow>({
  id: isInt,
  kind: oneOf("below-cost", "below-margin", "slow-mover", "old-stock", "reorder"),
  subject: isStr,
  sku: isStrOrNull,
  message: isStr,
  raisedAt: isStr,
  clearedAt: isStrOrNull,
});
export function alertsOf(body: unknown): Rows<AlertRow> | null {
  return isObj(body) ? rowsOf(body.alerts, isAlertRow) : null;
}
/** The live feed's "analytics" event: an alert raised or cleared. */
export const isAnalyticsAlert = isAlertRow;

// ── GET /analytics/reorder ──
export type ReorderRow = Pick<
  ReorderRowView,
  | "sku"
  | "name"
  | "zone"
  | "onSite"
  | "reserved"
  | "available"
  | "point"
  | "target"
  | "pack"
  | "suggested"
  | "inputs"
  | "unitCost"
  | "toReorder"
  | "since"
>;
const isInputs = shape<NonNullable<ReorderRowView["inputs"]>>({
  averageDailyDemand: isNum,
  windowDays: isInt,
  leadTimeDays: isNum,
  safetyStock: isInt,
});
const isReorderRow = shape<ReorderRow>({
  sku: isStr,
  name: isStr,
  zone: isStrOrNull,
  onSite: isInt,
  reserved: isInt,
  available: isInt,
  point: isInt,
  target: isInt,
  pack: isInt,
  suggested: isInt,
  inputs: orNull(isInputs),
  unitCost: isInt,
  toReorder: (v) => typeof v === "boolean",
  since: isStrOrNull,
});
export function reorderOf(body: unknown): { currency: string; rows: Rows<ReorderRow> } | null {
  if (!isObj(body) || !isStr(body.currency)) return null;
  const rows = rowsOf(body.rows, isReorderRow);
  return rows ? { currency: body.currency, rows } : null;
}

// ── CSV ──
/**
 * Downloads `path` (under /api/v1) as CSV with the signed-in token: the
 * token goes in a header, never in a URL, so a plain link cannot carry it;
 * the answer becomes a Blob URL that a link saves under `file`.
 */
export async function downloadCsv(path: string, file: string): Promise<void> {
  const url = `/api/v1${path}${path.includes("?") ? "&" : "?"}format=csv`;
  const headers: Record<string, string> = { accept: "text/csv" };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const response = await fetch(url, { headers });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiError(response.status, body, path);
  }
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = file;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the Blob by the next task; the URL is not needed after.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Why a part shows nothing: the gateway's reason, or that its answer had another shape. */
export function whyNot(result: { ok: true } | { ok: false; why: string }): string {
  return result.ok ? "the gateway answered something unexpected" : result.why;
}
