import {
  AssignedSchema,
  CommissionedSchema,
  CycleCountedSchema,
  DockOrderSchema,
  MovedSchema,
  NodeErrorBodySchema,
  NodeHealthSchema,
  NodeInfoSchema,
  NodeProductsSchema,
  NodeStockSchema,
  RecentMovementsSchema,
  RecentReadsSchema,
  TagInfoSchema,
  UnknownTagsSchema,
  ZonesSchema,
} from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { createNodeApp } from "../app.js";
import { TerminalTokens } from "../auth/terminal-tokens.js";
import { FakeNodeApi } from "../testing/fake-api.js";

const A = "3034257BF7194E4000000001";
const B = "3034257BF7194E4000000002";
const UNKNOWN = "E28011700000020000000003";

/**
 * The node's answers parse with the response schemas in contracts/src/api/node,
 * the types its pages read them with: the routes' `satisfies` checks the
 * types, this checks the bytes a page really gets.
 */
function setup() {
  const api = new FakeNodeApi();
  const tokens = new TerminalTokens();
  const token = tokens.create("test", "admin");
  const app = createNodeApp(api, { tokens });
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await app.request(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const answer = async <S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.infer<S>> => {
    const res = await call(method, path, body);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return schema.parse(res.body);
  };
  return { api, call, answer };
}

describe("GET /api/v1/products", () => {
  it("names the products of the node's cached catalog by SKU and every GTIN, and none without a catalog", async () => {
    const { answer } = setup();
    expect(await answer(NodeProductsSchema, "GET", "/api/v1/products")).toEqual({ products: [] });
    const tokens = new TerminalTokens();
    const token = tokens.create("test", "station");
    const app = createNodeApp(new FakeNodeApi(), {
      tokens,
      catalog: () => ({
        version: 3,
        currency: "EUR",
        asOf: "2026-12-07T08:00:00.000Z",
        products: [
          {
            sku: "LAMP",
            gtin: "80614141123458",
            gtins: ["03453120000011"],
            name: "Desk lamp",
            unitPrice: 1,
          },
          { sku: "CHAIR", name: "Oak chair", unitPrice: 1 },
        ],
      }),
    });
    const response = await app.request("/api/v1/products", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(NodeProductsSchema.parse(await response.json())).toEqual({
      products: [
        { sku: "LAMP", name: "Desk lamp", gtins: ["80614141123458", "03453120000011"] },
        { sku: "CHAIR", name: "Oak chair", gtins: [] },
      ],
    });
  });
});

describe("the node API's answers, against contracts' response schemas", () => {
  it("stock, reads, movements, tags, zones, node and dock", async () => {
    const { api, answer } = setup();
    await api.emitMovement({ epc: A, sku: "SKU-1", to: "dock" });
    await api.emitMovement({ epc: UNKNOWN, to: "dock" });
    api.emitRead(A);
    expect((await answer(NodeInfoSchema, "GET", "/api/v1/node")).node).toBe("desk-1");
    expect((await answer(NodeStockSchema, "GET", "/api/v1/stock")).rows.length).toBeGreaterThan(0);
    const { reads } = await answer(RecentReadsSchema, "GET", "/api/v1/reads/recent");
    // Antenna 1 of the fake covers its first zone: the read names it.
    expect(reads).toEqual([expect.objectContaining({ epc: A, antenna: 1, zone: "dock" })]);
    const movements = await answer(RecentMovementsSchema, "GET", "/api/v1/movements/recent");
    expect(movements.movements).toHaveLength(2);
    const unknown = await answer(UnknownTagsSchema, "GET", "/api/v1/tags/unknown");
    expect(unknown.tags.map((tag) => tag.epc)).toEqual([UNKNOWN]);
    const tag = await answer(TagInfoSchema, "GET", `/api/v1/tags/${A}`);
    expect(tag.identity?.gtin).toBeDefined();
    expect((await answer(ZonesSchema, "GET", "/api/v1/zones")).zones).toContain("dock");
    expect(await answer(DockOrderSchema, "GET", "/api/v1/dock/order")).toEqual({
      order: null,
      customer: null,
      state: null,
    });
    expect(
      await answer(DockOrderSchema, "PUT", "/api/v1/dock/order", { order: "SO-1", customer: null }),
    ).toMatchObject({ order: "SO-1", customer: null, state: { state: "unknown", version: 0 } });
  });

  it("commission and the station actions", async () => {
    const { api, answer } = setup();
    await api.emitMovement({ epc: A, sku: "SKU-1", to: "dock" });
    await api.emitMovement({ epc: B, to: "dock" });
    const commissioned = await answer(CommissionedSchema, "POST", "/api/v1/tags/commission", {
      epc: B,
      sku: "SKU-2",
    });
    expect(commissioned.sku).toBe("SKU-2");
    const moved = await answer(MovedSchema, "POST", "/api/v1/station/move", {
      epcs: [A],
      zone: "shelf-a",
    });
    expect(moved.moved).toEqual([A]);
    await answer(DockOrderSchema, "PUT", "/api/v1/dock/order", { order: "SO-1", customer: null });
    const assigned = await answer(AssignedSchema, "POST", "/api/v1/station/assign", {
      epcs: [B],
      zone: "dock",
    });
    expect(assigned.order).toBe("SO-1");
    const counted = await answer(CycleCountedSchema, "POST", "/api/v1/station/cycle-count", {
      zone: "shelf-a",
      seen: [A],
      reason: "cycle count",
    });
    expect(counted.adjustments).toBe(0);
  });

  it("health, and a refusal in the one error shape", async () => {
    const { call, answer } = setup();
    expect((await answer(NodeHealthSchema, "GET", "/health")).ok).toBe(true);
    const refused = await call("POST", "/api/v1/station/move", { epcs: [], zone: "dock" });
    expect(refused.status).toBe(400);
    expect(NodeErrorBodySchema.parse(refused.body).error.problems?.length).toBeGreaterThan(0);
  });

  it("a dock order refused for a credit hold, in the one error shape with the hold's reasons", async () => {
    const { api, call } = setup();
    api.putOrderState({
      order: "SO-2",
      customer: "C-7",
      customerName: "Martin",
      state: "held",
      reasons: [{ code: "overdue", message: "INV-9: 600.00 overdue by 35 days" }],
      version: 1,
      asOf: "2026-12-07T04:00:00.000Z",
    });
    const refused = await call("PUT", "/api/v1/dock/order", { order: "SO-2", customer: null });
    expect(refused.status).toBe(422);
    expect(NodeErrorBodySchema.parse(refused.body).error.reasons).toEqual([
      { code: "overdue", message: "INV-9: 600.00 overdue by 35 days" },
    ]);
  });
});
