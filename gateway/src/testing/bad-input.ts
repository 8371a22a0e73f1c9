import { expect } from "vitest";
import { apiSetup, enrolled } from "./api.js";

/**
 * Requests every route must refuse without changing anything: each router's
 * test lists its own cases and runs them with `expectRefusedUnchanged`.
 */

/** A valid product body; cases change one field of it. */
export const PRODUCT = {
  sku: "SKU-9",
  gtin: "03453120000011",
  name: "Widget",
  unitPrice: { amount: 1250, currency: "EUR" },
  unitCost: { amount: 700, currency: "EUR" },
};

export interface BadInputCase {
  name: string;
  method: string;
  path: string;
  init: { body?: unknown; raw?: string; type?: string };
  status: number;
  code: string;
  /** The `error.path` the answer names, when it names one. */
  path_?: string;
}

/**
 * On a site with node dock-1, product SKU-1 (GTIN 03453120000028) and
 * customer C-1, the admin's request gets `status` and `code`, a message
 * that says something, and changes nothing.
 */
export async function expectRefusedUnchanged({
  method,
  path,
  init,
  status,
  code,
  path_,
}: BadInputCase) {
  const s = await apiSetup();
  await enrolled(s, "dock-1");
  expect(
    (
      await s.call("POST", "/products", {
        role: "admin",
        body: { ...PRODUCT, sku: "SKU-1", gtin: "03453120000028" },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await s.call("POST", "/customers", {
        role: "admin",
        body: { id: "C-1", name: "A", creditLimit: "unlimited", paymentTermsDays: 30 },
      })
    ).status,
  ).toBe(201);
  const before = s.state();
  const res = await s.call(method, path, { role: "admin", ...init });
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; path?: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  if (path_) expect(body.error.path).toBe(path_);
  expect(s.state()).toBe(before);
}
