import { describe, expect, it } from "vitest";
import { GATEWAY_CHAIN } from "../../ledger/gateway-ledger.js";
import { apiSetup } from "../../testing/api.js";
import { type BadInputCase, expectRefusedUnchanged, PRODUCT } from "../../testing/bad-input.js";

describe("gateway API: products and customers", () => {
  it("creates and changes them, each recorded in the gateway ledger with the actor and what it was", async () => {
    const s = await apiSetup();
    const product = {
      sku: "SKU-1",
      name: "Widget",
      unitPrice: { amount: 1250, currency: "EUR" },
      unitCost: { amount: 700, currency: "EUR" },
    };
    expect((await s.call("POST", "/products", { role: "accounting", body: product })).status).toBe(
      201,
    );
    const changed = await s.call("PUT", "/products/SKU-1", {
      role: "admin",
      body: {
        ...product,
        sku: undefined,
        gtin: "03453120000011",
        unitPrice: { amount: 1300, currency: "EUR" },
      },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      sku: "SKU-1",
      gtin: "03453120000011",
      unitPrice: { amount: 1300 },
    });
    const customer = {
      id: "C-1042",
      name: "Quincaillerie",
      creditLimit: { amount: 500_000, currency: "EUR" },
      paymentTermsDays: 30,
    };
    expect(
      (await s.call("POST", "/customers", { role: "accounting", body: customer })).status,
    ).toBe(201);
    expect(
      (
        await s.call("PUT", "/customers/C-1042", {
          role: "accounting",
          body: { name: "Quincaillerie", creditLimit: "unlimited", paymentTermsDays: 45 },
        })
      ).status,
    ).toBe(200);
    const list = (await (await s.call("GET", "/customers", { role: "counter" })).json()) as {
      customers: unknown[];
    };
    expect(list.customers).toEqual([
      expect.objectContaining({ id: "C-1042", creditLimit: "unlimited", paymentTermsDays: 45 }),
    ]);
    const entries = [...s.store.entries(GATEWAY_CHAIN)].filter((e) => !e.type.startsWith("token."));
    expect(entries.map((e) => [e.type, (e.data as { by: { id: string } }).by.id])).toEqual([
      ["product.created", s.tokenId.accounting],
      ["product.changed", s.tokenId.admin],
      ["customer.created", s.tokenId.accounting],
      ["customer.changed", s.tokenId.accounting],
    ]);
    expect(entries[1]?.data).toMatchObject({
      before: { unitPrice: { amount: 1250 } },
      product: { unitPrice: { amount: 1300 } },
    });
    expect(entries[3]?.data).toMatchObject({
      before: { creditLimit: { amount: 500_000 } },
      customer: { creditLimit: "unlimited" },
    });
  });
});

describe("gateway API: bad input changes nothing", () => {
  const cases: BadInputCase[] = [
    {
      name: "malformed JSON",
      method: "POST",
      path: "/products",
      init: { raw: '{"sku":' },
      status: 400,
      code: "invalid_input",
    },
    {
      name: "not JSON",
      method: "POST",
      path: "/products",
      init: { raw: "sku=1", type: "application/x-www-form-urlencoded" },
      status: 415,
      code: "not_json",
    },
    {
      name: "product: decimal price",
      method: "POST",
      path: "/products",
      init: { body: { ...PRODUCT, unitPrice: { amount: 12.5, currency: "EUR" } } },
      status: 400,
      code: "invalid_input",
      path_: "unitPrice.amount",
    },
    {
      name: "product: negative cost",
      method: "POST",
      path: "/products",
      init: { body: { ...PRODUCT, unitCost: { amount: -1, currency: "EUR" } } },
      status: 400,
      code: "invalid_input",
      path_: "unitCost.amount",
    },
    {
      name: "product: currencies differ",
      method: "POST",
      path: "/products",
      init: { body: { ...PRODUCT, unitCost: { amount: 700, currency: "USD" } } },
      status: 422,
      code: "rule_refused",
      path_: "unitCost.currency",
    },
    {
      name: "product: already exists",
      method: "POST",
      path: "/products",
      init: { body: { ...PRODUCT, sku: "SKU-1", gtin: null } },
      status: 409,
      code: "conflict",
      path_: "sku",
    },
    {
      name: "product: GTIN of another product",
      method: "POST",
      path: "/products",
      init: { body: { ...PRODUCT, gtin: "03453120000028" } },
      status: 409,
      code: "conflict",
      path_: "gtin",
    },
    {
      name: "product change: unknown product",
      method: "PUT",
      path: "/products/NOPE",
      init: { body: { name: "x", unitPrice: PRODUCT.unitPrice, unitCost: PRODUCT.unitCost } },
      status: 404,
      code: "not_found",
    },
  ];

  it.each(cases)("$name → $status $code", expectRefusedUnchanged);
});
