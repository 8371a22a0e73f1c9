import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, ManualClock } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { TokenStore } from "../../auth/tokens.js";
import { GatewayLedger } from "../../ledger/gateway-ledger.js";
import { Store } from "../../store/store.js";
import { createGatewayApp } from "../app.js";

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-invoice-pages-"));
  const clock = new ManualClock("2026-03-20T12:00:00Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const tokens = new TokenStore(store.db, ledger, { clock });
  const token = tokens.create("accounting", "erp", { kind: "system", id: "test" }).token;
  const app = createGatewayApp({
    store,
    ledger,
    tokens,
    clock,
    brokerState: () => ({ state: "up" }),
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const created = await call("POST", "/customers", {
    id: "acme",
    name: "ACME",
    creditLimit: "unlimited",
    paymentTermsDays: 30,
  });
  expect(created.status).toBe(201);
  return { call };
}

/** A one-line customer invoice; `day` sets its issue date (the list is newest first). */
const invoice = (number: string, day: number) => ({
  number,
  direction: "customer",
  type: "invoice",
  issueDate: `2026-03-${String(day).padStart(2, "0")}`,
  dueDate: "2026-04-30",
  currency: "EUR",
  customer: "acme",
  lines: [{ id: "1", sku: "SRV-1", quantity: 1, unitPrice: 1000, netAmount: 1000 }],
  netTotal: 1000,
  vatTotal: 0,
  grossTotal: 1000,
  amountDue: 1000,
});

describe("GET /invoices, a page at a time", () => {
  it("answers `limit` invoices newest first with a `next` cursor, and every invoice once across pages", async () => {
    const s = await setup();
    // Two on the same day: the cursor must tell them apart.
    for (const [number, day] of [
      ["F-1", 1],
      ["F-2", 2],
      ["F-3", 2],
      ["F-4", 3],
      ["F-5", 4],
    ] as const) {
      expect((await s.call("POST", "/invoices", invoice(number, day))).status).toBe(201);
    }
    const seen: string[] = [];
    let next: unknown = null;
    let pages = 0;
    do {
      const query = `limit=2${next ? `&before=${encodeURIComponent(String(next))}` : ""}`;
      const page = await s.call("GET", `/invoices?${query}`);
      expect(page.status).toBe(200);
      const invoices = page.body.invoices as { number: string }[];
      expect(invoices.length).toBeLessThanOrEqual(2);
      seen.push(...invoices.map((i) => i.number));
      next = page.body.next;
      pages++;
    } while (next && pages < 10);
    expect(seen).toEqual(["F-5", "F-4", "F-3", "F-2", "F-1"]);
    expect(pages).toBe(3);
    // Without `limit`, a small ledger still comes whole, with `next: null`.
    const all = await s.call("GET", "/invoices");
    expect((all.body.invoices as unknown[]).length).toBe(5);
    expect(all.body.next).toBeNull();
    // Filters apply within pages: the open ones, one at a time.
    const open = await s.call("GET", "/invoices?status=open&limit=1");
    expect((open.body.invoices as { number: string }[]).map((i) => i.number)).toEqual(["F-5"]);
  });

  it("refuses a limit over the maximum and a cursor it did not make, naming the parameter", async () => {
    const s = await setup();
    const big = await s.call("GET", "/invoices?limit=100000");
    expect(big.status).toBe(400);
    expect(big.body).toMatchObject({ error: { path: "limit" } });
    const forged = await s.call("GET", "/invoices?before=not-a-cursor");
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ error: { path: "before" } });
  });
});
