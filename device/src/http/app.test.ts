import type { CreditReason } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { decodeIdentity } from "../readers/identity.js";
import { createNodeApp } from "./app.js";
import { TerminalTokens } from "./auth/terminal-tokens.js";
import type { ErrorBody } from "./errors.js";
import { FakeNodeApi } from "./testing/fake-api.js";

const A = "3034257BF7194E4000000001";
const B = "3034257BF7194E4000000002";
const C = "3034257BF7194E4000000003";

function setup(options: ConstructorParameters<typeof FakeNodeApi>[0] = {}) {
  const api = new FakeNodeApi(options);
  const tokens = new TerminalTokens();
  const token = tokens.create("test", "admin");
  const app = createNodeApp(api, { tokens });
  const send = async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}` } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      init.headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    }
    const response = await app.request(path, init);
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & ErrorBody,
    };
  };
  return { api, app, send, token };
}

describe("GET /health", () => {
  it("answers 200 when ledger, readers and sync are healthy, 503 naming the failing part otherwise", async () => {
    const { api, send } = setup();
    expect(await send("GET", "/health")).toMatchObject({
      status: 200,
      body: { ok: true, node: "desk-1" },
    });

    api.healthParts.sync = { ok: false, detail: "broker unreachable for 40 s" };
    const down = await send("GET", "/health");
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      ok: false,
      failing: ["sync"],
      error: { code: "unhealthy", path: "sync" },
    });
    expect(down.body.error.message).toContain("sync (broker unreachable for 40 s)");
  });

  it("answers 503 when the health check itself throws", async () => {
    const { api, send } = setup();
    api.health = () => {
      throw new Error("ledger closed");
    };
    const res = await send("GET", "/health");
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain("ledger closed");
  });
});

describe("reading stock, reads and tags", () => {
  it("filters stock by zone and SKU and refuses a malformed filter with every problem", async () => {
    const { api, send } = setup();
    await api.emitMovement({ epc: A, sku: "SKU-1", to: "dock" });
    await api.emitMovement({ epc: B, sku: "SKU-2", to: "shelf-a" });
    expect((await send("GET", "/api/v1/stock?zone=dock")).body).toEqual({
      rows: [{ sku: "SKU-1", zone: "dock", count: 1 }],
    });
    expect((await send("GET", "/api/v1/stock?sku=SKU-2")).body.rows).toEqual([
      { sku: "SKU-2", zone: "shelf-a", count: 1 },
    ]);
    const bad = await send("GET", "/api/v1/stock?zone=../etc&colour=red");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_input");
    expect(bad.body.error.path).toBe("zone");
    expect(bad.body.error.problems?.map((p) => p.path)).toEqual(["zone", ""]);
    expect(bad.body.error.message).toContain("zone: must be a zone name");
    expect(bad.body.error.message).toContain('"colour"');
  });

  it("gives the newest reads first, bounded by ?limit", async () => {
    const { api, send } = setup();
    for (const epc of [A, B, C]) api.emitRead(epc);
    const res = await send("GET", "/api/v1/reads/recent?limit=2");
    expect((res.body.reads as { epc: string }[]).map((read) => read.epc)).toEqual([C, B]);
    for (const limit of ["0", "201", "two"]) {
      const bad = await send("GET", `/api/v1/reads/recent?limit=${limit}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.path).toBe("limit");
    }
  });

  it("describes a tag: its GS1 identity, place and movements; an unseen tag has no place", async () => {
    const { api, send } = setup();
    await api.emitMovement({ epc: A, sku: "SKU-1", to: "dock" });
    const res = await send("GET", `/api/v1/tags/${A.toLowerCase()}`);
    expect(res.body).toMatchObject({
      epc: A,
      identity: { scheme: "sgtin-96" },
      place: { sku: "SKU-1", zone: "dock" },
      movements: [{ epc: A, to: "dock", seq: 1 }],
    });
    expect((await send("GET", `/api/v1/tags/${B}`)).body).toMatchObject({
      place: null,
      movements: [],
    });
    expect((await send("GET", "/api/v1/tags/XYZ")).status).toBe(400);
  });

  it("lists zones from antennas and stock", async () => {
    const { api, send } = setup({ zones: ["dock"] });
    await api.emitMovement({ epc: A, to: "returns" });
    expect((await send("GET", "/api/v1/zones")).body).toEqual({ zones: ["dock", "returns"] });
  });
});

describe("POST /api/v1/tags/commission", () => {
  it("commissions an unknown tag, recording the GTIN its SGTIN carries", async () => {
    const { api, send } = setup();
    await api.emitMovement({ epc: A, to: "dock" });
    expect((await send("GET", "/api/v1/tags/unknown")).body).toEqual({
      tags: [{ epc: A, zone: "dock" }],
    });
    const gtin =
      decodeIdentity(A)?.scheme === "sgtin-96" ? (decodeIdentity(A) as { gtin: string }).gtin : "";
    const res = await send("POST", "/api/v1/tags/commission", {
      epc: A.toLowerCase(),
      sku: " SKU-1 ",
    });
    expect(res).toEqual({ status: 201, body: { epc: A, sku: "SKU-1", gtin, seq: 2 } });
    expect(api.calls).toEqual([{ method: "commission", input: { epc: A, sku: "SKU-1", gtin } }]);
    expect(api.stock()).toEqual([{ sku: "SKU-1", zone: "dock", count: 1 }]);
    expect((await send("GET", "/api/v1/tags/unknown")).body).toEqual({ tags: [] });
  });

  it("lists every problem of a bad body and records nothing", async () => {
    const { api, send } = setup();
    const res = await send("POST", "/api/v1/tags/commission", {
      epc: "nope",
      gtin: "123",
      extra: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.problems?.map((p) => p.path).sort()).toEqual(["", "epc", "gtin", "sku"]);
    expect(res.body.error.message).toMatch(/^invalid request body: /);
    expect(api.calls).toEqual([]);
  });

  it("refuses another SKU for a commissioned tag, and a GTIN the SGTIN contradicts (422, nothing written)", async () => {
    const { api, send } = setup();
    await send("POST", "/api/v1/tags/commission", { epc: A, sku: "SKU-1" });
    const again = await send("POST", "/api/v1/tags/commission", { epc: A, sku: "SKU-2" });
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: "already_commissioned", path: "sku" });
    expect(again.body.error.message).toContain("already commissioned as SKU-1");
    const same = await send("POST", "/api/v1/tags/commission", { epc: A, sku: "SKU-1" });
    expect(same).toMatchObject({ status: 200, body: { unchanged: true, seq: null } });
    const wrong = await send("POST", "/api/v1/tags/commission", {
      epc: B,
      sku: "SKU-1",
      gtin: "00000000000000",
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe("gtin_mismatch");
    expect(api.calls.filter((call) => call.method === "commission")).toHaveLength(1);
  });

  it("answers malformed JSON with 400, a non-JSON body with 415 and an oversized body with 413", async () => {
    const { api, app, send, token } = setup();
    const malformed = await send("POST", "/api/v1/tags/commission", "{ epc:");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("invalid_input");
    const text = await app.request("/api/v1/tags/commission", {
      method: "POST",
      body: "epc=1",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as ErrorBody).error.code).toBe("not_json");
    const big = await send("POST", "/api/v1/tags/commission", {
      epc: A,
      sku: "S",
      pad: "x".repeat(70_000),
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("body_too_large");
    expect(api.calls).toEqual([]);
  });
});

describe("dock order", () => {
  const UNKNOWN_STATE = {
    state: "unknown",
    customer: null,
    customerName: null,
    reasons: [],
    version: 0,
    asOf: null,
  };

  it("sets, shows and clears the dock's current order, with what the node knows of its state", async () => {
    const { api, send } = setup();
    expect((await send("GET", "/api/v1/dock/order")).body).toEqual({
      order: null,
      customer: null,
      state: null,
    });
    expect(
      (await send("PUT", "/api/v1/dock/order", { order: "SO-1042", customer: "acme" })).body,
    ).toEqual({ order: "SO-1042", customer: "acme", state: UNKNOWN_STATE });
    expect(api.dockOrder()).toEqual({ order: "SO-1042", customer: "acme" });
    const bad = await send("PUT", "/api/v1/dock/order", { order: null, customer: "acme" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe("customer");
    expect(api.dockOrder().order).toBe("SO-1042");
    await send("PUT", "/api/v1/dock/order", { order: null });
    expect(api.dockOrder()).toEqual({ order: null, customer: null });
  });

  it("refuses a held order with 422 and the hold's reasons, and keeps the order it had", async () => {
    const { api, send } = setup();
    await send("PUT", "/api/v1/dock/order", { order: "SO-1", customer: null });
    const reasons: CreditReason[] = [
      { code: "over-limit", message: "over the credit limit by 120.00" },
    ];
    api.putOrderState({
      order: "SO-2",
      customer: "C-7",
      customerName: "Quincaillerie Martin",
      state: "held",
      reasons,
      version: 2,
      asOf: "2026-12-07T04:00:00.000Z",
    });
    const refused = await send("PUT", "/api/v1/dock/order", { order: "SO-2", customer: null });
    expect(refused).toEqual({
      status: 422,
      body: {
        error: {
          code: "order_held",
          message:
            "order SO-2 (Quincaillerie Martin) is held for credit: over the credit limit by 120.00 — it may go to the dock once released",
          path: "order",
          reasons,
        },
      },
    });
    expect(api.dockOrder()).toEqual({ order: "SO-1", customer: null });
    // Clearing is always allowed.
    expect((await send("PUT", "/api/v1/dock/order", { order: null })).status).toBe(200);
  });

  it("refuses an order it never heard of when the dock refuses unknown orders", async () => {
    const { api, send } = setup();
    api.unknownOrders = "refuse";
    const refused = await send("PUT", "/api/v1/dock/order", { order: "SO-9", customer: null });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "order_unknown", reasons: [] });
    expect(refused.body.error.message).toContain("order SO-9 is unknown to this node");
    expect(api.dockOrder().order).toBeNull();
  });
});

describe("station actions", () => {
  it("moves items to a zone, skipping those already there", async () => {
    const { api, send } = setup();
    await api.emitMovement({ epc: A, sku: "SKU-1", to: "dock" });
    await api.emitMovement({ epc: B, sku: "SKU-1", to: "shelf-a" });
    const res = await send("POST", "/api/v1/station/move", { epcs: [A, B], zone: "shelf-a" });
    expect(res).toEqual({
      status: 201,
      body: { zone: "shelf-a", moved: [A], skipped: [B], seqs: [3] },
    });
    expect(api.stock()).toEqual([{ sku: "SKU-1", zone: "shelf-a", count: 2 }]);
    const none = await send("POST", "/api/v1/station/move", { epcs: [A, B], zone: "shelf-a" });
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe("nothing_to_move");
    const dup = await send("POST", "/api/v1/station/move", { epcs: [A, A], zone: "dock" });
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toContain("an EPC appears twice");
    expect(api.calls.filter((call) => call.method === "move")).toHaveLength(1);
  });

  it("assigns items to the dock's current order, refusing when there is none", async () => {
    const { api, send } = setup();
    const refused = await send("POST", "/api/v1/station/assign", { epcs: [A], zone: "dock" });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "no_dock_order", path: "order" });
    api.setDockOrder({ order: "SO-7", customer: "acme" });
    const res = await send("POST", "/api/v1/station/assign", { epcs: [A, B], zone: "dock" });
    expect(res).toMatchObject({
      status: 201,
      body: { order: "SO-7", assigned: [A, B], seqs: [1, 2] },
    });
    expect(api.tag(A).movements[0]).toMatchObject({ to: "dock", reason: "order SO-7 for acme" });
  });

  it("puts nothing aside for the dock's order once the gateway holds it", async () => {
    const { api, send } = setup();
    api.setDockOrder({ order: "SO-8", customer: "acme" });
    const reasons: CreditReason[] = [{ code: "over-limit", message: "exposure 5 100.00 > limit" }];
    api.putOrderState({
      order: "SO-8",
      customer: "acme",
      customerName: "ACME",
      state: "held",
      reasons,
      version: 3,
      asOf: "2026-12-07T04:00:00.000Z",
    });
    const refused = await send("POST", "/api/v1/station/assign", { epcs: [A], zone: "dock" });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "order_held", path: "order", reasons });
    expect(refused.body.error.message).toContain("exposure 5 100.00 > limit");
    expect(api.calls.filter((call) => call.method === "move")).toHaveLength(0);
    api.putOrderState({
      order: "SO-8",
      customer: "acme",
      customerName: "ACME",
      state: "released",
      reasons: [],
      version: 4,
      asOf: "2026-12-07T04:05:00.000Z",
    });
    expect((await send("POST", "/api/v1/station/assign", { epcs: [A], zone: "dock" })).status).toBe(
      201,
    );
  });

  it("counts a zone: differences become adjustments with the reason; an unknown zone is refused", async () => {
    const { api, send } = setup();
    await api.emitMovement({ epc: A, sku: "SKU-1", to: "shelf-a" });
    await api.emitMovement({ epc: B, sku: "SKU-1", to: "shelf-a" });
    const res = await send("POST", "/api/v1/station/cycle-count", {
      zone: "shelf-a",
      seen: [A, C],
      reason: "weekly count",
    });
    expect(res).toEqual({
      status: 201,
      body: {
        zone: "shelf-a",
        expected: 2,
        seen: 2,
        missing: [B],
        unexpected: [C],
        adjustments: 2,
      },
    });
    expect(api.tag(B).movements[0]).toMatchObject({
      kind: "adjust",
      to: null,
      reason: "weekly count",
    });
    const unknown = await send("POST", "/api/v1/station/cycle-count", {
      zone: "shelf-z",
      seen: [],
      reason: "x",
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain("known zones: dock, shelf-a");
    const noReason = await send("POST", "/api/v1/station/cycle-count", {
      zone: "shelf-a",
      seen: [],
    });
    expect(noReason.body.error.path).toBe("reason");
  });

  it("refuses station actions on a portal node", async () => {
    const { api, send } = setup({ role: "portal" });
    const res = await send("POST", "/api/v1/station/move", { epcs: [A], zone: "dock" });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("not_a_station");
    expect(api.calls).toEqual([]);
  });

  it("answers 500 in the error shape when the node cannot write, and keeps serving", async () => {
    const { api, send } = setup();
    api.failNextWrite = new Error("ledger: disk full");
    const res = await send("POST", "/api/v1/station/move", { epcs: [A], zone: "dock" });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: "internal" });
    expect(res.body.error.message).toContain("disk full");
    expect((await send("POST", "/api/v1/station/move", { epcs: [A], zone: "dock" })).status).toBe(
      201,
    );
  });
});

describe("pages and unknown paths", () => {
  it("serves the pages and their modules with a self-only content policy", async () => {
    const { app } = setup();
    const root = await app.request("/");
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/station");
    const page = await app.request("/warehouse");
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/assets/warehouse.js">');
    const script = await app.request("/assets/station.js");
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(await script.text()).not.toContain("innerHTML");
  });

  it("answers 404 in the error shape", async () => {
    const { send } = setup();
    for (const path of ["/api/v1/nope", "/assets/evil.js", "/nothing"]) {
      const res = await send("GET", path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
  });
});
