import { generateIdentity } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "../auth/tokens.js";
import { apiSetup, chainOf, enrolled } from "../testing/api.js";
import { invoiceJson } from "../testing/gateway-app.js";

/** A customer invoice to C-1 for 10.00, without lines: what the invoice routes take. */
const invoiceOf1000 = (number: string) =>
  invoiceJson(number, "C-1", [], {
    issueDate: "2026-11-01",
    netTotal: 1000,
    grossTotal: 1000,
    amountDue: 1000,
  });

/** Each operation, a valid request for it (fresh ids per role), and the roles that may. */
const MATRIX: {
  method: string;
  path: string;
  body?: (role: Role) => unknown;
  allowed: Role[];
  /** What an allowed role gets when not 200/201 (e.g. 404: past the permission, nothing to act on). */
  answers?: number[];
}[] = [
  { method: "GET", path: "/nodes", allowed: ["admin", "accounting", "warehouse", "viewer"] },
  { method: "GET", path: "/nodes/dock-1", allowed: ["admin", "accounting", "warehouse", "viewer"] },
  {
    method: "POST",
    path: "/nodes",
    body: (role) => ({ id: `n-${role}`, publicKey: generateIdentity().publicKeyHex }),
    allowed: ["admin"],
  },
  // Credentials of an enrolled node: admin only; 409 once revoked is still past the permission.
  {
    method: "POST",
    path: "/nodes/dock-1/rotate",
    body: () => ({}),
    allowed: ["admin"],
    answers: [200, 409],
  },
  {
    method: "POST",
    path: "/nodes/dock-1/reenroll",
    body: (role) => ({ reason: `by ${role}` }),
    allowed: ["admin"],
  },
  {
    method: "POST",
    path: "/nodes/dock-1/revoke",
    body: (role) => ({ reason: `by ${role}` }),
    allowed: ["admin"],
    answers: [200, 409],
  },
  // dock-1's chain is fine: past the permission, there is nothing to recover.
  {
    method: "POST",
    path: "/nodes/dock-1/recover",
    body: (role) => ({ reason: `by ${role}` }),
    allowed: ["admin"],
    answers: [409],
  },
  {
    method: "GET",
    path: "/nodes/dock-1/epochs",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  // The site's locale and currency: no token needed, so every role reads it.
  { method: "GET", path: "/site", allowed: [...ROLES] },
  { method: "GET", path: "/stock", allowed: [...ROLES] },
  { method: "GET", path: "/stock/items?zone=dock", allowed: [...ROLES] },
  {
    method: "POST",
    path: "/stock/adjustments",
    body: (role) => ({ sku: "SKU-1", delta: 1, reason: `count by ${role}` }),
    allowed: ["admin", "warehouse"],
  },
  { method: "GET", path: "/stock/adjustments", allowed: [...ROLES] },
  { method: "GET", path: "/movements", allowed: ["admin", "accounting", "warehouse", "viewer"] },
  {
    method: "GET",
    path: "/epcis/events?bizStep=receiving",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "GET",
    path: "/movements/events",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "GET",
    path: "/tags/3034257BF7194E4000000001",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  { method: "GET", path: "/products", allowed: [...ROLES] },
  {
    method: "POST",
    path: "/products",
    body: (role) => ({
      sku: `SKU-${role}`,
      name: "Widget",
      unitPrice: { amount: 1250, currency: "EUR" },
      unitCost: { amount: 700, currency: "EUR" },
    }),
    allowed: ["admin", "accounting"],
  },
  {
    method: "GET",
    path: "/products/SKU-1",
    allowed: ["admin", "accounting", "warehouse", "counter", "viewer"],
  },
  {
    method: "PUT",
    path: "/products/SKU-1",
    body: (role) => ({
      name: `Widget by ${role}`,
      unitPrice: { amount: 1300, currency: "EUR" },
      unitCost: { amount: 700, currency: "EUR" },
    }),
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/customers", allowed: ["admin", "accounting", "counter", "viewer"] },
  { method: "GET", path: "/customers/C-1", allowed: ["admin", "accounting", "counter", "viewer"] },
  {
    method: "PUT",
    path: "/customers/C-1",
    body: (role) => ({ name: role, creditLimit: "unlimited", paymentTermsDays: 10 }),
    allowed: ["admin", "accounting"],
  },
  {
    method: "POST",
    path: "/customers",
    body: (role) => ({
      id: `C-${role}`,
      name: "Client",
      creditLimit: "unlimited",
      paymentTermsDays: 30,
    }),
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/invoices", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "POST",
    path: "/invoices",
    body: (role) => invoiceOf1000(`F-${role}`),
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/payments", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "GET",
    path: "/payments/P-none",
    allowed: ["admin", "accounting", "viewer"],
    answers: [404],
  },
  {
    method: "POST",
    path: "/allocations/ZZ/undo",
    allowed: ["admin", "accounting"],
    answers: [404],
  },
  {
    method: "POST",
    path: "/payments",
    body: (role) => ({
      id: `P-${role}`,
      date: "2026-11-20",
      amount: 500,
      currency: "EUR",
      customer: "C-1",
    }),
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/credit/C-1", allowed: ["admin", "accounting", "counter", "viewer"] },
  {
    method: "GET",
    path: "/credit/decisions",
    allowed: ["admin", "accounting", "counter", "viewer"],
  },
  {
    method: "POST",
    path: "/credit/check",
    body: () => ({ customer: "C-1", amount: 100 }),
    allowed: ["admin", "accounting", "counter"],
  },
  { method: "GET", path: "/audit/gateway/verify", allowed: ["admin", "accounting", "viewer"] },
  // The file drop's files carry invoices' and payments' problems: read as receivables are.
  { method: "GET", path: "/file-drop", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "POST",
    path: "/invoices/import",
    body: (role) => [invoiceOf1000(`FI-${role}`)],
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/invoices/template.csv", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "POST",
    path: "/payments/import",
    body: (role) => [
      { id: `PI-${role}`, date: "2026-11-20", amount: 100, currency: "EUR", customer: "C-1" },
    ],
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/payments/template.csv", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "POST",
    path: "/customers/import",
    body: (role) => [
      { id: `CI-${role}`, name: "Imported", creditLimit: "unlimited", paymentTermsDays: 30 },
    ],
    allowed: ["admin", "accounting"],
  },
  {
    method: "GET",
    path: "/customers/template.csv",
    allowed: ["admin", "accounting", "counter", "viewer"],
  },
  {
    method: "POST",
    path: "/products/import",
    body: (role) => ({
      products: [
        {
          sku: `PI-${role}`,
          name: "Imported",
          unitPrice: { amount: 100, currency: "EUR" },
          unitCost: { amount: 60, currency: "EUR" },
        },
      ],
    }),
    allowed: ["admin", "accounting"],
  },
  {
    method: "GET",
    path: "/products/template.csv",
    allowed: ["admin", "accounting", "warehouse", "counter", "viewer"],
  },
  {
    method: "GET",
    path: "/reconciliation",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  { method: "GET", path: "/receivables/aging", allowed: ["admin", "accounting", "viewer"] },
  { method: "GET", path: "/receivables/dso", allowed: ["admin", "accounting", "viewer"] },
  { method: "GET", path: "/receivables/payers", allowed: ["admin", "accounting", "viewer"] },
  { method: "GET", path: "/dunning", allowed: ["admin", "accounting", "viewer"] },
  { method: "POST", path: "/dunning/run", body: () => ({}), allowed: ["admin", "accounting"] },
  { method: "GET", path: "/dunning/config", allowed: ["admin", "accounting", "viewer"] },
  { method: "PUT", path: "/dunning/config", body: () => ({}), allowed: ["admin", "accounting"] },
  { method: "GET", path: "/webhooks", allowed: ["admin", "accounting"] },
  { method: "GET", path: "/webhooks/dead-letters", allowed: ["admin", "accounting"] },
  // No such dead letter: past the permission, 404.
  {
    method: "POST",
    path: "/webhooks/dead-letters/1/replay",
    allowed: ["admin"],
    answers: [404],
  },
  { method: "POST", path: "/webhooks/dead-letters/replay", body: () => ({}), allowed: ["admin"] },
  {
    method: "POST",
    path: "/orders",
    body: (role) => ({
      number: `SO-${role}`,
      customer: "C-1",
      requestedShipDate: "2026-11-30",
      lines: [{ sku: "SKU-1", quantity: 1, unitPrice: 1 }],
    }),
    allowed: ["admin", "accounting"],
  },
  {
    method: "POST",
    path: "/orders/import",
    body: (role) => [
      {
        number: `SOI-${role}`,
        customer: "C-1",
        requestedShipDate: "2026-11-30",
        lines: [{ sku: "SKU-1", quantity: 1, unitPrice: 1 }],
      },
    ],
    allowed: ["admin", "accounting"],
  },
  {
    method: "GET",
    path: "/orders/template.csv",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  { method: "GET", path: "/orders", allowed: ["admin", "accounting", "warehouse", "viewer"] },
  // No such order: past the permission, 404.
  {
    method: "GET",
    path: "/orders/SO-0",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
    answers: [404],
  },
  {
    method: "POST",
    path: "/orders/SO-0/release",
    body: () => ({ reason: "known customer" }),
    allowed: ["admin", "accounting"],
    answers: [404],
  },
  {
    method: "POST",
    path: "/orders/SO-0/cancel",
    body: () => ({}),
    allowed: ["admin", "accounting"],
    answers: [404],
  },
  {
    method: "GET",
    path: "/analytics/reorder",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "GET",
    path: "/analytics/reorder/rules",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "PUT",
    path: "/analytics/reorder/rules",
    body: () => ({ rules: [{ sku: "SKU-1", min: 1 }] }),
    allowed: ["admin", "accounting", "warehouse"],
  },
  { method: "GET", path: "/valuation/margins", allowed: ["admin", "accounting", "viewer"] },
  { method: "GET", path: "/analytics/margins", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "GET",
    path: "/analytics/margin-floors",
    allowed: ["admin", "accounting", "viewer"],
  },
  {
    method: "PUT",
    path: "/analytics/margin-floors",
    body: () => ({ default: 10 }),
    allowed: ["admin", "accounting"],
  },
  // Money (stock value, cost of goods) is for those who read valuations; rotation and classes for the warehouse too.
  { method: "GET", path: "/valuation", allowed: ["admin", "accounting", "viewer"] },
  { method: "GET", path: "/valuation/layers", allowed: ["admin", "accounting", "viewer"] },
  { method: "GET", path: "/valuation/cogs", allowed: ["admin", "accounting", "viewer"] },
  { method: "GET", path: "/valuation/history", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "GET",
    path: "/analytics/rotation",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "GET",
    path: "/analytics/turnover",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "GET",
    path: "/analytics/dwell",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "GET",
    path: "/analytics/fifo",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "GET",
    path: "/analytics/abc",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "POST",
    path: "/analytics/abc/run",
    body: () => ({}),
    allowed: ["admin", "accounting", "warehouse"],
  },
  {
    method: "GET",
    path: "/analytics/abc/history",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "GET",
    path: "/analytics/alerts",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  {
    method: "GET",
    path: "/schedules",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  // A full reconciliation now: the one job that needs no outbox or file drop here.
  { method: "POST", path: "/schedules/reconciliation/run", allowed: ["admin"] },
  { method: "GET", path: "/metrics", allowed: ["admin", "viewer"] },
  { method: "GET", path: "/openapi.json", allowed: [...ROLES] },
];

describe("gateway API: the role matrix", () => {
  it.each(MATRIX)(
    "$method $path is for $allowed",
    async ({ method, path, body, allowed, answers }) => {
      const s = await apiSetup();
      await enrolled(s, "dock-1");
      const chain = chainOf("dock-1");
      chain.move("3034257BF7194E4000000001", null, "dock");
      s.store.appendEntries("dock-1", chain.entries);
      await s.call("POST", "/products", {
        role: "admin",
        body: {
          sku: "SKU-1",
          name: "Widget",
          unitPrice: { amount: 1, currency: "EUR" },
          unitCost: { amount: 1, currency: "EUR" },
        },
      });
      await s.call("POST", "/customers", {
        role: "admin",
        body: { id: "C-1", name: "A", creditLimit: "unlimited", paymentTermsDays: 1 },
      });
      for (const role of ROLES) {
        const before = s.state();
        const res = await s.call(method, path, { role, ...(body ? { body: body(role) } : {}) });
        if (allowed.includes(role)) {
          expect(answers ?? [200, 201], `${role} ${method} ${path}`).toContain(res.status);
        } else {
          expect(res.status, `${role} ${method} ${path}`).toBe(403);
          expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
          expect(s.state(), `${role} changed something`).toBe(before);
        }
      }
    },
  );

  it("covers every documented operation", async () => {
    const s = await apiSetup();
    const res = await s.call("GET", "/openapi.json", { role: "viewer" });
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const tested = new Set(
      MATRIX.map((row) => `${row.method.toLowerCase()} ${row.path.split("?")[0]}`),
    );
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        if (path === "/api/v1/health") continue;
        const pattern = new RegExp(
          `^${method} ${path.replace("/api/v1", "").replace(/\{\w+\}/g, "[^/]+")}$`,
        );
        expect(
          [...tested].some((t) => pattern.test(t)),
          `${method} ${path} in the matrix`,
        ).toBe(true);
      }
    }
  });
});
