import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type LedgerEntry, ManualClock } from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import {
  CreditService,
  createGatewayApp,
  EventHub,
  GATEWAY_CHAIN,
  GatewayLedger,
  type LiveEvent,
  ROLES,
  type Role,
  Store,
  TokenStore,
} from "../index.js";
import { OrderService } from "../orders/service.js";
import { cleanupAfterEach } from "./broker.js";

/**
 * A gateway over a real SQLite file in a temp dir, with a token per role,
 * for the credit, reconciliation and receivables tests. `close` removes it all.
 */
export async function reconciliationSetup(
  start: string,
  options: { dunningWebhook?: string } = {},
) {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-reconciliation-"));
  const clock = new ManualClock(start);
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const tokens = new TokenStore(store.db, ledger, { clock });
  const token = {} as Record<Role, string>;
  const tokenId = {} as Record<Role, string>;
  for (const role of ROLES) {
    const issued = tokens.create(role, `${role} test`, { kind: "system", id: "test" });
    token[role] = issued.token;
    tokenId[role] = issued.record.id;
  }
  const events = new EventHub({ clock });
  const live: LiveEvent[] = [];
  events.subscribe((event) => live.push(event));
  const credit = new CreditService({ store, ledger, clock, events });
  const orders = new OrderService({ store, ledger, credit, clock, events });
  const app = createGatewayApp({
    store,
    ledger,
    tokens,
    clock,
    credit,
    orders,
    events,
    ...options,
  });

  const request = (
    method: string,
    path: string,
    init: { role?: Role; body?: string | Uint8Array; type?: string } = {},
  ) => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token[init.role ?? "accounting"]}`,
    };
    if (init.body !== undefined) headers["content-type"] = init.type ?? "application/json";
    return app.request(`/api/v1${path}`, {
      method,
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  };
  const call = async (
    method: string,
    path: string,
    init: { role?: Role; body?: unknown; raw?: string | Uint8Array; type?: string } = {},
  ) => {
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const res = await request(method, path, {
      ...(init.role ? { role: init.role } : {}),
      ...(init.type ? { type: init.type } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {}
    return {
      status: res.status,
      // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely; assertions check them
      body: json as Record<string, any>,
      text,
      type: res.headers.get("content-type") ?? "",
    };
  };
  /** Everything a refused import or request could have changed. */
  const state = () =>
    JSON.stringify(
      [
        "entries",
        "invoices",
        "invoice_lines",
        "invoice_instalments",
        "payments",
        "allocations",
        "customers",
      ].map((table) => store.db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all()),
    );
  const gatewayEntries = (type: string) =>
    [...store.entries(GATEWAY_CHAIN)].filter((entry) => entry.type === type);

  /** A customer on 30 days, with no credit limit unless given one (in cents). */
  const customer = async (
    id: string,
    name = `Client ${id}`,
    { limit = "unlimited", terms = 30 }: { limit?: number | "unlimited"; terms?: number } = {},
  ) => {
    const creditLimit = limit === "unlimited" ? limit : { amount: limit, currency: "EUR" };
    const res = await call("POST", "/customers", {
      body: { id, name, creditLimit, paymentTermsDays: terms },
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  };
  const product = async (sku: string, price: number, gtin: string | null = null) => {
    const res = await call("POST", "/products", {
      body: {
        sku,
        gtin,
        name: `Product ${sku}`,
        unitPrice: { amount: price, currency: "EUR" },
        unitCost: { amount: Math.floor(price / 2), currency: "EUR" },
      },
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  };

  /** A node's chain of movements, stored as ingest would store a batch. */
  const node = (id: string) => {
    store.enrollNode(id, generateIdentity().publicKeyHex);
    const sealer = chainSealer(id);
    const pending: LedgerEntry[] = [];
    let tag = 0;
    return {
      move(
        kind: "ship" | "receive" | "sale",
        sku: string | null,
        count: number,
        at: string,
        extra: { order?: string; customer?: string; gtin?: string } = {},
      ) {
        const epcs: string[] = [];
        for (let i = 0; i < count; i++) {
          tag++;
          const epc = `30340000${id.length.toString(16)}${tag.toString(16).toUpperCase().padStart(15, "0")}`;
          epcs.push(epc);
          const data = {
            epc,
            sku,
            kind,
            from: kind === "ship" ? "dock" : null,
            to: kind === "ship" ? null : "dock",
            reader: "portal-1",
            antennas: [1, 3],
            reads: 4,
            at,
            ...extra,
          };
          pending.push(sealer.seal("movement", data, at));
        }
        return epcs;
      },
      /** The tag is declared to be one item of `sku` (after it was read, possibly). */
      commission(epc: string, sku: string, at: string) {
        pending.push(sealer.seal("commission", { epc, sku }, at));
      },
      sync() {
        store.appendEntries(id, pending.splice(0));
      },
    };
  };

  const close = async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  };
  return {
    dir,
    clock,
    store,
    ledger,
    tokens,
    token,
    tokenId,
    credit,
    orders,
    app,
    call,
    request,
    state,
    gatewayEntries,
    customer,
    product,
    node,
    events,
    live,
    close,
  };
}
export type ReconciliationSetup = Awaited<ReturnType<typeof reconciliationSetup>>;

/**
 * Call at the top of a test file: each call of the function it returns is a
 * fresh `reconciliationSetup(start)`, closed after the test that made it.
 */
export function reconciliationPerTest(
  start: string,
  options: { dunningWebhook?: string } = {},
): () => Promise<ReconciliationSetup> {
  const defer = cleanupAfterEach();
  return async () => {
    const s = await reconciliationSetup(start, options);
    defer(s.close);
    return s;
  };
}

/** A customer invoice in the contract's JSON shape, one line per [sku, quantity, unit price]. */
export function invoiceJson(
  number: string,
  customer: string,
  lines: [string, number, number][],
  extra: Record<string, unknown> = {},
) {
  const net = lines.reduce((sum, [, quantity, price]) => sum + quantity * price, 0);
  return {
    number,
    direction: "customer",
    type: "invoice",
    issueDate: "2026-03-02",
    currency: "EUR",
    customer,
    lines: lines.map(([sku, quantity, unitPrice], index) => ({
      id: String(index + 1),
      sku,
      quantity,
      unitPrice,
      netAmount: quantity * unitPrice,
    })),
    netTotal: net,
    vatTotal: 0,
    grossTotal: net,
    amountDue: net,
    ...extra,
  };
}

/** A supplier invoice in the contract's JSON shape: `invoiceJson`'s, from `supplier` to no customer. */
export function supplierInvoiceJson(
  number: string,
  supplier: string,
  lines: [string, number, number][],
  extra: Record<string, unknown> = {},
) {
  const { customer: _none, ...invoice } = invoiceJson(number, "", lines, extra);
  return { ...invoice, direction: "supplier", supplier };
}
