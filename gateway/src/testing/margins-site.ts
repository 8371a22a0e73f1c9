import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  generateIdentity,
  type LedgerEntry,
  ManualClock,
  type MovementKind,
} from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { type AnalyticsConfig, AnalyticsConfigSchema } from "@comptoir/firmware-config";
import { ROLES, type Role, TokenStore } from "../auth/tokens.js";
import { Catalog } from "../catalog/service.js";
import { createGatewayApp } from "../http/app.js";
import { GatewayLedger } from "../ledger/gateway-ledger.js";
import { Store } from "../store/store.js";
import { layerKey } from "../valuation/book.js";
import { createBook } from "../valuation/engine.js";
import type { ValuationService } from "../valuation/service.js";
import { invoiceJson } from "./gateway-app.js";

/**
 * For the margin tests (routes and alerts): a gateway over a real SQLite
 * file, with products, customers, invoices and counter sales stored as the
 * API and ingest store them, and a valuation book the test moves by hand
 * (receipts, shipments and sales of units, supplier costs), so that each
 * line's cost is known exactly.
 */
export async function marginSite(options: { analytics?: unknown; dir?: string } = {}) {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "comptoir-margins-")));
  const clock = new ManualClock("2026-03-10T09:00:00.000Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const tokens = new TokenStore(store.db, ledger, { clock });
  const catalog = new Catalog(store.db, ledger, { clock });
  const token = {} as Record<Role, string>;
  for (const role of ROLES) {
    token[role] = tokens.create(role, `${role} test`, { kind: "system", id: "test" }).token;
  }
  const book = createBook({ catalogCost: (sku) => catalog.product(sku)?.unitCost.amount ?? 0 });
  // Only book() and method are read by margins: the site's book is the one this test moves.
  const valuation = { method: "fifo", book: () => book } as unknown as ValuationService;
  const analytics: AnalyticsConfig = AnalyticsConfigSchema.parse(options.analytics ?? {});
  const app = createGatewayApp({ store, ledger, tokens, catalog, clock, valuation, analytics });

  const call = async (
    method: string,
    path: string,
    init: { role?: Role; body?: unknown; raw?: string } = {},
  ) => {
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token[init.role ?? "accounting"]}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {}
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely; assertions check them
    return { status: res.status, body: json as Record<string, any>, text };
  };
  const must = async (method: string, path: string, body: unknown) => {
    const res = await call(method, path, { body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };

  const product = (sku: string, cost: number, extra: { category?: string; gtin?: string } = {}) =>
    must("POST", "/products", {
      sku,
      name: `Product ${sku}`,
      unitPrice: { amount: cost * 2, currency: "EUR" },
      unitCost: { amount: cost, currency: "EUR" },
      ...extra,
    });
  const customer = (id: string) =>
    must("POST", "/customers", {
      id,
      name: `Client ${id}`,
      creditLimit: "unlimited",
      paymentTermsDays: 30,
    });
  /** A customer invoice of bistro's for `order`, one line per [sku, quantity, unit price]. */
  const invoice = (
    number: string,
    order: string | null,
    lines: [string, number, number][],
    options: { update?: boolean; issueDate?: string } = {},
  ) =>
    must(
      "POST",
      options.update ? "/invoices?update=true" : "/invoices",
      invoiceJson(number, "bistro", lines, {
        ...(order ? { orderRef: order } : {}),
        ...(options.issueDate ? { issueDate: options.issueDate } : {}),
      }),
    );

  if (!store.node("pos-1")) store.enrollNode("pos-1", generateIdentity().publicKeyHex);
  const pos = chainSealer("pos-1");
  /** A counter sale stored as ingest stores it: one line per [sku, quantity, line total]. */
  const sale = (id: string, lines: [string, number, number][], at = "2026-03-05T10:00:00.000Z") => {
    const total = lines.reduce((sum, [, , lineTotal]) => sum + lineTotal, 0);
    const entry: LedgerEntry = pos.seal(
      "sale",
      {
        id,
        payment: "cash",
        clerk: "ana",
        currency: "EUR",
        lines: lines.map(([sku, quantity, lineTotal]) => ({
          sku,
          name: `Product ${sku}`,
          epcs: [],
          quantity,
          unitPrice: Math.round(lineTotal / quantity),
          lineTotal,
        })),
        total,
        at,
      },
      at,
    );
    store.appendEntries("pos-1", [entry]);
  };

  // Units on site per product, oldest first: an exit takes the oldest (the book costs it by FIFO anyway).
  const onSite = new Map<string, string[]>();
  let tag = 0;
  let seq = 0;
  /** Units of `sku` in or out of the book: receive under a purchase order, ship for an order, sell in a sale. */
  const move = (
    kind: MovementKind,
    sku: string,
    order: string | null,
    count: number,
    at: string,
  ) => {
    for (let i = 0; i < count; i++) {
      const units = onSite.get(sku) ?? [];
      const epc = kind === "receive" ? `T${++tag}` : units.shift();
      if (epc === undefined) throw new Error(`no unit of ${sku} on site to ${kind}`);
      if (kind === "receive") units.push(epc);
      onSite.set(sku, units);
      book.apply({
        chain: "dock-1",
        seq: ++seq,
        epc,
        sku,
        kind,
        from: kind === "receive" ? null : "dock",
        to: kind === "receive" ? "dock" : null,
        at,
        order,
      });
    }
  };
  /** The supplier invoice of purchase order `order` lands: its layer's cost. */
  const supplierCost = (sku: string, order: string, unitCost: number) =>
    book.setCost(layerKey(sku, order), { unitCost, provisional: false, invoice: `F-${order}` });

  const close = async () => {
    store.close();
    if (!options.dir) await rm(dir, { recursive: true, force: true });
  };
  return {
    dir,
    clock,
    store,
    ledger,
    catalog,
    book,
    valuation,
    call,
    product,
    customer,
    invoice,
    sale,
    move,
    supplierCost,
    close,
  };
}
export type MarginSite = Awaited<ReturnType<typeof marginSite>>;
