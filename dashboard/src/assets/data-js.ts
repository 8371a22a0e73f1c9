/**
 * The dashboard's shared state, served as `/dashboard/assets/data.js`: what
 * the REST API gave at sign-in, kept current by the live feed. Pages read it
 * and are told which parts changed, at most once a frame.
 */
export const DATA_JS = String.raw`
import { api, identityOf, isInt, isObj, isStr, isStrOrNull, session } from "./core.js";

export const MAX_MOVEMENTS = 500;
export const CHART_MINUTES = 30;

export const data = {
  stock: new Map(),
  products: new Map(),
  nodes: new Map(),
  movements: [],
  perMinute: new Map(),
  alerts: [],
  credit: [],
  discrepancies: [],
  loaded: false,
};

export const can = (permission) => session.permissions.includes(permission);

export const SNAPSHOT_WAIT_MS = 3000;
let snapshotArrived;
export const firstSnapshot = new Promise((resolve) => { snapshotArrived = resolve; });
/** The live feed applied its first snapshot: stock and nodes are loaded. */
export function gotSnapshot() {
  snapshotArrived("snapshot");
}

const listeners = new Set();
const pending = new Set();
let scheduled = false;
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
function flush() {
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
export function changed(topic) {
  pending.add(topic);
  if (scheduled) return;
  scheduled = true;
  setTimeout(flush, 0);
}

/** One row per product, per GTIN no product has, or for the unknown tags, and zone: two unknown GTINs in a zone are two rows. */
const stockKey = (row) => identityOf(row).key + "\u0000" + row.zone;
const isGtinOrAbsent = (v) => v === undefined || isStrOrNull(v);
export const isStockRow = (r) => isObj(r) && isStrOrNull(r.sku) && isGtinOrAbsent(r.gtin) && isStr(r.zone) && isInt(r.count);
export const isMovement = (m) =>
  isObj(m) && isStr(m.chain) && isInt(m.seq) && isStr(m.epc) && isStrOrNull(m.sku) && isGtinOrAbsent(m.gtin) && isStr(m.kind) &&
  isStrOrNull(m.from) && isStrOrNull(m.to) && isStr(m.at) && isStr(m.receivedAt);
/** A stock row as the pages keep it: the GTIN only on a row of an unknown product. */
const stockRow = (row) => (row.sku === null && isStr(row.gtin) ? { sku: null, gtin: row.gtin, zone: row.zone, count: row.count } : { sku: row.sku, zone: row.zone, count: row.count });
export const isNode = (n) => isObj(n) && isStr(n.id) && isStr(n.status) && isObj(n.chain) && isInt(n.verifiedSeq);
const isProduct = (p) => isObj(p) && isStr(p.sku) && isStr(p.name) && isObj(p.unitCost) && isObj(p.unitPrice);

export function setStock(rows) {
  data.stock.clear();
  for (const row of rows) if (isStockRow(row) && row.count !== 0) data.stock.set(stockKey(row), stockRow(row));
  changed("stock");
}
export function putStock(row) {
  const key = stockKey(row);
  if (row.count === 0) data.stock.delete(key);
  else data.stock.set(key, stockRow(row));
  changed("stock");
}
export function setNodes(nodes) {
  data.nodes.clear();
  for (const node of nodes) if (isNode(node)) data.nodes.set(node.id, node);
  changed("nodes");
}

const minuteOf = (iso) => Math.floor(Date.parse(iso) / 60000) * 60000;
export function addMovements(list, live) {
  const seen = new Set(data.movements.map((m) => m.chain + "#" + m.seq));
  const fresh = list.filter((m) => isMovement(m) && !seen.has(m.chain + "#" + m.seq));
  if (fresh.length === 0) return;
  for (const m of fresh) {
    const minute = minuteOf(m.receivedAt);
    if (!Number.isNaN(minute)) data.perMinute.set(minute, (data.perMinute.get(minute) || 0) + 1);
    if (live) m.live = true;
  }
  data.movements = fresh.concat(data.movements).sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0)).slice(0, MAX_MOVEMENTS);
  const oldest = Date.now() - 2 * CHART_MINUTES * 60000;
  for (const minute of data.perMinute.keys()) if (minute < oldest) data.perMinute.delete(minute);
  changed("movements");
}

export function addAlert(alert) {
  data.alerts.unshift(alert);
  data.alerts.length = Math.min(data.alerts.length, 50);
  changed("alerts");
}

let nodesTimer = null;
/** A node event says what changed, not the whole node: fetch the node list again, once for a burst. */
export function refreshNodesSoon() {
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
export async function loadAll() {
  const jobs = [];
  if (can("products:read"))
    jobs.push(api("/products").then((body) => {
      data.products.clear();
      // By SKU only: the gateway gives each item its product (an SGTIN's from the catalog's GTINs), never a GTIN as a SKU.
      for (const p of (isObj(body) && Array.isArray(body.products) ? body.products : [])) if (isProduct(p)) data.products.set(p.sku, p);
      changed("products");
    }));
  // Stock and nodes come with the live feed's snapshot; over REST only when it is late (a proxy without WebSocket).
  const rest = () => Promise.all([
    can("stock:read") ? api("/stock").then((body) => setStock(isObj(body) && Array.isArray(body.rows) ? body.rows : [])) : null,
    can("nodes:read") ? api("/nodes").then((body) => setNodes(isObj(body) && Array.isArray(body.nodes) ? body.nodes : [])) : null,
  ]);
  jobs.push(Promise.race([firstSnapshot, new Promise((resolve) => setTimeout(resolve, SNAPSHOT_WAIT_MS, "late"))])
    .then((outcome) => (outcome === "late" ? rest() : null)));
  if (can("movements:read")) {
    // The newest thousand: the stream's first page and the chart's recent minutes.
    jobs.push(api("/movements?limit=1000").then((body) =>
      addMovements(isObj(body) && Array.isArray(body.movements) ? body.movements : [], false)));
  }
  await Promise.all(jobs);
  data.loaded = true;
  changed("loaded");
}
`;
