/**
 * The dashboard's shared state: what the REST API gave at sign-in, kept
 * current by the live feed. Pages read it and are told which parts changed,
 * at most once a frame.
 */
import type {
  Discrepancy,
  LiveAlert,
  LiveCreditDecision,
  LiveOrderChange,
  MovementView,
  NodeView,
  StockRowView,
  StoredProductView,
} from "@comptoir/contracts";
import { api, identityOf, isInt, isMoney, isObj, isStr, isStrOrNull, session } from "./core.js";

const MAX_MOVEMENTS = 500;
export const CHART_MINUTES = 30;

/** A product as the dashboard reads it from GET /products: the fields it checks and uses. */
export type Product = Pick<StoredProductView, "sku" | "name" | "unitCost" | "unitPrice"> &
  Partial<Pick<StoredProductView, "gtin" | "gtins">>;

/** A movement as the pages keep it: `live` marks one the feed brought, until it is drawn. */
export type Movement = MovementView & { live?: boolean };

/** An alert as the Overview lists it. */
export interface Alert {
  level: string;
  message: string;
  node: string | null;
  customer: string | null;
  code: string | null;
  at: string | null;
}

export type Topic =
  | "stock"
  | "products"
  | "nodes"
  | "movements"
  | "alerts"
  | "credit"
  | "discrepancy"
  | "orders"
  | "analytics"
  | "loaded";

export const data = {
  stock: new Map<string, StockRowView>(),
  products: new Map<string, Product>(),
  nodes: new Map<string, NodeView>(),
  movements: [] as Movement[],
  perMinute: new Map<number, number>(),
  alerts: [] as Alert[],
  credit: [] as (LiveCreditDecision & { at: string })[],
  discrepancies: [] as (Discrepancy & { at: string })[],
  /** The last order change the live feed brought (the Orders page asks the gateway again on each, and names this one). */
  lastOrderChange: null as (LiveOrderChange & { at: string }) | null,
  loaded: false,
};

export const can = (permission: string): boolean => session.permissions.includes(permission);

const SNAPSHOT_WAIT_MS = 3000;
let snapshotArrived: (outcome: "snapshot") => void = () => {};
const firstSnapshot = new Promise<"snapshot">((resolve) => {
  snapshotArrived = resolve;
});
/** The live feed applied its first snapshot: stock and nodes are loaded. */
export function gotSnapshot(): void {
  snapshotArrived("snapshot");
}

type Listener = (topics: ReadonlySet<Topic>) => void;
const listeners = new Set<Listener>();
const pending = new Set<Topic>();
let scheduled = false;
export function onChange(listener: Listener): () => boolean {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
function flush(): void {
  if (!scheduled) return;
  scheduled = false;
  const topics = new Set(pending);
  pending.clear();
  for (const listener of listeners) listener(topics);
}
/**
 * Marks a part as changed; listeners run once, in the next task, for everything
 * changed until then: a burst of events already queued is drawn once, and a
 * lone event is drawn before the next frame rather than after it.
 */
export function changed(topic: Topic): void {
  pending.add(topic);
  if (scheduled) return;
  scheduled = true;
  setTimeout(flush, 0);
}

// ── checks: the network is untrusted, so each shape the gateway documents is checked before use ──
const isGtinOrAbsent = (v: unknown): v is string | null | undefined =>
  v === undefined || isStrOrNull(v);
export const isStockRow = (r: unknown): r is StockRowView =>
  isObj(r) &&
  isStrOrNull(r.sku) &&
  (r.gtin === undefined || isStr(r.gtin)) &&
  isStr(r.zone) &&
  isInt(r.count);
export const isMovement = (m: unknown): m is MovementView =>
  isObj(m) &&
  isStr(m.chain) &&
  isInt(m.seq) &&
  isStr(m.epc) &&
  isStrOrNull(m.sku) &&
  isGtinOrAbsent(m.gtin) &&
  isStr(m.kind) &&
  isStrOrNull(m.from) &&
  isStrOrNull(m.to) &&
  isStr(m.at) &&
  isStr(m.receivedAt);
const isNode = (n: unknown): n is NodeView =>
  isObj(n) && isStr(n.id) && isStr(n.status) && isObj(n.chain) && isInt(n.verifiedSeq);
const isProduct = (p: unknown): p is Product =>
  isObj(p) &&
  isStr(p.sku) &&
  isStr(p.name) &&
  isMoney(p.unitCost) &&
  isMoney(p.unitPrice) &&
  (p.gtin === undefined || isStrOrNull(p.gtin)) &&
  (p.gtins === undefined || (Array.isArray(p.gtins) && p.gtins.every(isStr)));
export const isAlert = (a: unknown): a is LiveAlert =>
  isObj(a) && isStr(a.level) && isStr(a.message);
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
/** A discrepancy of GET /reconciliation or the live feed: every field the pages read. */
export const isDiscrepancy = (d: unknown): d is Discrepancy =>
  isObj(d) &&
  isStr(d.id) &&
  isStr(d.kind) &&
  isStr(d.side) &&
  ["order", "customer", "supplier", "sku", "gtin", "zone"].every((key) => isStrOrNull(d[key])) &&
  isNumber(d.observed) &&
  isNumber(d.invoiced) &&
  (d.amount === null || isInt(d.amount)) &&
  isInt(d.ageDays) &&
  Array.isArray(d.evidence) &&
  d.evidence.every(isObj);
/** A counter's decision of the live feed: every field the Credit page shows. */
export const isCreditDecision = (c: unknown): c is LiveCreditDecision =>
  isObj(c) &&
  isStr(c.customer) &&
  isStr(c.node) &&
  isInt(c.seq) &&
  (c.decision === "approve" || c.decision === "block") &&
  Array.isArray(c.reasons) &&
  c.reasons.every(isStr) &&
  isInt(c.amount) &&
  isStr(c.currency) &&
  isStr(c.clerk) &&
  typeof c.offline === "boolean" &&
  isStr(c.at);

/** One row per product, per GTIN no product has, or for the unknown tags, and zone: two unknown GTINs in a zone are two rows. */
const stockKey = (row: StockRowView) => `${identityOf(row).key}\u0000${row.zone}`;
/** A stock row as the pages keep it: the GTIN only on a row of an unknown product. */
const stockRow = (row: StockRowView): StockRowView =>
  row.sku === null && isStr(row.gtin)
    ? { sku: null, gtin: row.gtin, zone: row.zone, count: row.count }
    : { sku: row.sku, zone: row.zone, count: row.count };

export function setStock(rows: readonly unknown[]): void {
  data.stock.clear();
  for (const row of rows)
    if (isStockRow(row) && row.count !== 0) data.stock.set(stockKey(row), stockRow(row));
  changed("stock");
}
export function putStock(row: StockRowView): void {
  const key = stockKey(row);
  if (row.count === 0) data.stock.delete(key);
  else data.stock.set(key, stockRow(row));
  changed("stock");
}
export function setNodes(nodes: readonly unknown[]): void {
  data.nodes.clear();
  for (const node of nodes) if (isNode(node)) data.nodes.set(node.id, node);
  changed("nodes");
}

const minuteOf = (iso: string) => Math.floor(Date.parse(iso) / 60000) * 60000;
/** Orders movements by when the gateway received them, newest first. */
export const newestFirst = (a: Movement, b: Movement) =>
  a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0;
export function addMovements(list: readonly unknown[], live: boolean): void {
  const seen = new Set(data.movements.map((m) => `${m.chain}#${m.seq}`));
  const fresh: Movement[] = list.filter(
    (m): m is Movement => isMovement(m) && !seen.has(`${m.chain}#${m.seq}`),
  );
  if (fresh.length === 0) return;
  for (const m of fresh) {
    const minute = minuteOf(m.receivedAt);
    if (!Number.isNaN(minute)) data.perMinute.set(minute, (data.perMinute.get(minute) ?? 0) + 1);
    if (live) m.live = true;
  }
  data.movements = fresh.concat(data.movements).sort(newestFirst).slice(0, MAX_MOVEMENTS);
  const oldest = Date.now() - 2 * CHART_MINUTES * 60000;
  for (const minute of data.perMinute.keys()) if (minute < oldest) data.perMinute.delete(minute);
  changed("movements");
}

export function addAlert(alert: Alert): void {
  data.alerts.unshift(alert);
  data.alerts.length = Math.min(data.alerts.length, 50);
  changed("alerts");
}

/** The array under `key` of a response body, or none. */
export const arrayIn = (body: unknown, key: string): unknown[] => {
  const value = isObj(body) ? body[key] : undefined;
  return Array.isArray(value) ? value : [];
};

let nodesTimer: ReturnType<typeof setTimeout> | null = null;
/** A node event says what changed, not the whole node: fetch the node list again, once for a burst. */
export function refreshNodesSoon(): void {
  if (!can("nodes:read") || nodesTimer) return;
  nodesTimer = setTimeout(async () => {
    nodesTimer = null;
    try {
      const body = await api("/nodes");
      if (isObj(body) && Array.isArray(body.nodes)) setNodes(body.nodes);
    } catch {
      // the next node event or reconnection tries again
    }
  }, 150);
}

/** Everything the pages share, from the REST API. Parts the role may not read stay empty. */
export async function loadAll(): Promise<void> {
  const jobs: Promise<unknown>[] = [];
  if (can("products:read"))
    jobs.push(
      api("/products").then((body) => {
        data.products.clear();
        // By SKU only: the gateway gives each item its product (an SGTIN's from the catalog's GTINs), never a GTIN as a SKU.
        for (const p of arrayIn(body, "products")) if (isProduct(p)) data.products.set(p.sku, p);
        changed("products");
      }),
    );
  // Stock and nodes come with the live feed's snapshot; over REST only when it is late (a proxy without WebSocket).
  const rest = () =>
    Promise.all([
      can("stock:read") ? api("/stock").then((body) => setStock(arrayIn(body, "rows"))) : null,
      can("nodes:read") ? api("/nodes").then((body) => setNodes(arrayIn(body, "nodes"))) : null,
    ]);
  const late = new Promise<"late">((resolve) => setTimeout(resolve, SNAPSHOT_WAIT_MS, "late"));
  jobs.push(
    Promise.race([firstSnapshot, late]).then((outcome) => (outcome === "late" ? rest() : null)),
  );
  if (can("movements:read")) {
    // The newest thousand: the stream's first page and the chart's recent minutes.
    jobs.push(
      api("/movements?limit=1000").then((body) => addMovements(arrayIn(body, "movements"), false)),
    );
  }
  await Promise.all(jobs);
  data.loaded = true;
  changed("loaded");
}
