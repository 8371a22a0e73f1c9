/**
 * Helpers every dashboard module shares: the API client with the signed-in
 * token, formatting, item identity, tables, and (from contracts/browser) the
 * checks for what comes from the network (the page trusts nothing it did not check).
 */
import {
  type Child,
  DEFAULT_LOCALE,
  formatCount,
  formatDate,
  formatDateTime,
  formatMoney,
  formatTime,
  h,
  isInt,
  isObj,
  isStr,
  messageOf,
  type SiteFormat,
} from "@comptoir/contracts/browser";

export {
  $,
  type Child,
  clear,
  h,
  isInt,
  isObj,
  isStr,
  isStrOrNull,
  messageOf,
  type Obj,
  place,
  say,
} from "@comptoir/contracts/browser";

const TOKEN_KEY = "comptoir.dashboard.token";

/** Who is signed in: the token (this tab only), its role, and what the gateway says the role may see. */
export const session: {
  token: string | null;
  role: string | null;
  pages: string[];
  permissions: string[];
} = { token: sessionStorage.getItem(TOKEN_KEY), role: null, pages: [], permissions: [] };

export function keepToken(token: string | null): void {
  session.token = token;
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export interface Money {
  amount: number;
  currency: string;
}
export const isMoney = (v: unknown): v is Money =>
  isObj(v) && isInt(v.amount) && isStr(v.currency) && /^[A-Z]{3}$/.test(v.currency);

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown, path: string) {
    const error = isObj(body) && isObj(body.error) ? body.error : undefined;
    super(error && isStr(error.message) ? error.message : `HTTP ${status} on ${path}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * GET (or another method, with a JSON body) on the gateway with the signed-in
 * token; rejects with an ApiError that carries the gateway's message.
 */
export async function api(
  path: string,
  options?: { method?: string; body?: unknown },
): Promise<unknown> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const url = path.startsWith("/dashboard/") ? path : `/api/v1${path}`;
  const init: RequestInit = { method: options?.method ?? "GET", headers };
  if (options?.body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  // Nothing is shown before the site's locale is known: every figure is written its way.
  await siteKnown;
  const response = await fetch(url, init);
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data, path);
  return data;
}

type Optional = { ok: true; data: unknown } | { ok: false; why: string; error?: true };

/** Like api(), but a route the gateway does not have yet (404 not_found on the path) or may not show (403) gives a reason instead of throwing. */
export async function optional(path: string): Promise<Optional> {
  try {
    return { ok: true, data: await api(path) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404)
      return { ok: false, why: "not available on this gateway" };
    if (error instanceof ApiError && error.status === 403)
      return { ok: false, why: "your role may not see this" };
    return { ok: false, why: messageOf(error), error: true };
  }
}

// ── formatting: one helper for the dashboard, through Intl with the site's locale ──

/**
 * The site's locale, currency and zone, from `GET /api/v1/site` (no token),
 * asked once as the page loads; `api()` waits for it. A gateway without the
 * route (older) leaves the default locale.
 */
export const site: SiteFormat = { locale: DEFAULT_LOCALE, currency: "EUR" };
const siteKnown: Promise<void> = fetch("/api/v1/site", { headers: { accept: "application/json" } })
  .then((response) => (response.ok ? response.json() : null))
  .then((body: unknown) => {
    if (!isObj(body) || !isStr(body.locale) || !isStr(body.currency)) return;
    try {
      Intl.getCanonicalLocales(body.locale);
    } catch {
      return; // not a tag: keep the default rather than fail every figure
    }
    site.locale = body.locale;
    site.currency = body.currency;
    if (isStr(body.timeZone)) site.timeZone = body.timeZone;
  })
  .catch(() => {});

/** Integer minor units → "1 234,50 €" in fr-FR, "€1,234.50" in en-GB: the currency's own decimals. */
export function money(amount: unknown, currency: unknown): string {
  if (!isInt(amount) || !isStr(currency)) return "—";
  return formatMoney(amount, currency, site.locale);
}
export const fmtMoney = (m: unknown): string => (isMoney(m) ? money(m.amount, m.currency) : "—");
export const num = (n: unknown): string =>
  typeof n === "number" && Number.isFinite(n) ? formatCount(n, site.locale) : "—";

/** An ISO time as a date and time to the minute: "06/12/2026 19:38" in fr-FR. */
export function time(iso: unknown): string {
  return formatDateTime(String(iso), site.locale, site.timeZone) ?? "—";
}
/** The time of day to the minute ("19:38" in fr-FR): a chart's axis. */
export function clock(when: string | number | Date): string {
  return formatTime(when, site.locale, site.timeZone) ?? "—";
}
/** A calendar date ("06/12/2026" in fr-FR); a bare ISO date stays that day. */
export function day(when: unknown): string {
  return formatDate(String(when), site.locale, site.timeZone) ?? "—";
}
export function ago(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "never";
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 5) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

// ── product identity: what an item is, as the gateway resolved it ──
export type Identity =
  | { kind: "product"; sku: string; gtin: string | null; key: string; text: string }
  | { kind: "unknown-product"; sku: null; gtin: string; key: string; text: string }
  | { kind: "unknown-tag"; sku: null; gtin: null; key: string; text: string };

/** A product as the catalog gives it, as much as the dashboard reads of it. */
interface ProductLike {
  sku: string;
  name: string;
}

/**
 * A stock row, movement, tag place or discrepancy names its item by product
 * (sku); without one, a GTIN no product of the catalog has is an unknown
 * product, and a tag with neither is an unknown tag. A GTIN is never shown
 * as if it were a SKU.
 */
export function identityOf(row: unknown): Identity {
  const sku = isObj(row) && isStr(row.sku) ? row.sku : null;
  const gtin = isObj(row) && isStr(row.gtin) ? row.gtin : null;
  if (sku !== null) return { kind: "product", sku, gtin, key: `sku:${sku}`, text: sku };
  if (gtin !== null)
    return {
      kind: "unknown-product",
      sku,
      gtin,
      key: `gtin:${gtin}`,
      text: `unknown product — GTIN ${gtin}`,
    };
  return { kind: "unknown-tag", sku, gtin, key: "tag:", text: "unknown tag" };
}
/** The item's identity as plain text: the SKU, "unknown product — GTIN …" or "unknown tag". */
export const skuText = (row: unknown): string => identityOf(row).text;
/**
 * The item's identity for a table cell: the SKU (with the product's name when
 * given), or a marked unknown product (with its GTIN, unless the table has a
 * GTIN column: withGtin false) or unknown tag.
 */
export function identityNodes(row: unknown, product?: ProductLike, withGtin?: boolean): Child[] {
  const id = identityOf(row);
  if (id.kind === "product")
    return [
      h("b", {}, id.sku),
      product ? h("span", { className: "sub" }, ` ${product.name}`) : null,
    ];
  if (id.kind === "unknown-product") {
    return [
      h(
        "span",
        {
          className: "badge",
          dataset: { tone: "warn" },
          title: `no product of the catalog has GTIN ${id.gtin}: add it to a product and its items count under it`,
        },
        "unknown product",
      ),
      ...(withGtin === false
        ? []
        : [" ", h("span", { className: "sub" }, "GTIN "), h("code", {}, id.gtin)]),
    ];
  }
  return [
    h(
      "span",
      { className: "badge", title: "a tag nobody commissioned, without a GTIN" },
      "unknown tag",
    ),
  ];
}

/** A table with these headers (a header ending in a space is a number column), or a line saying it is empty. */
export function table(
  headers: readonly string[],
  rows: readonly Node[],
  empty?: string,
): HTMLElement {
  if (rows.length === 0) return h("p", { className: "empty" }, empty || "nothing to show");
  return h(
    "div",
    { className: "scroll" },
    h(
      "table",
      {},
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          headers.map((t) => h("th", { className: t.endsWith(" ") ? "num" : "" }, t.trim())),
        ),
      ),
      h("tbody", {}, rows),
    ),
  );
}

/** Shows any JSON value readably: objects as key/value lists, money formatted. */
export function describe(value: unknown, depth = 0): Node | string {
  if (isMoney(value)) return fmtMoney(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return h("span", { className: "muted" }, "none");
    if (value.every((v) => !isObj(v) && !Array.isArray(v))) return value.join(", ");
    return h(
      "ul",
      { className: "list" },
      value.slice(0, 50).map((v) => h("li", {}, describe(v, depth + 1))),
    );
  }
  if (isObj(value)) {
    if (depth > 3) return JSON.stringify(value);
    return h(
      "dl",
      { className: "kv" },
      Object.entries(value).flatMap(([k, v]) => [
        h("dt", {}, k),
        h("dd", {}, describe(v, depth + 1)),
      ]),
    );
  }
  return value === null || value === undefined ? "—" : String(value);
}

/** The first array in a response: the list itself, or its first array property. */
export function listOf(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (isObj(data)) for (const value of Object.values(data)) if (Array.isArray(value)) return value;
  return [];
}

/** A figure from the first of these fields that holds one: money, or a plain number. */
export function pick(object: unknown, ...keys: string[]): unknown {
  if (!isObj(object)) return undefined;
  for (const key of keys) if (object[key] !== undefined && object[key] !== null) return object[key];
  return undefined;
}

/** Runs the job one at a time; asked again while it runs, it runs once more after, so the last change is not missed. */
export function serial(job: () => Promise<void>): () => Promise<void> {
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await job();
    } finally {
      running = false;
      if (again) {
        again = false;
        run();
      }
    }
  };
  return run;
}
