import { describe, expect, it } from "vitest";
import { apiSetup } from "../testing/api.js";

describe("gateway API: tokens", () => {
  it("answers 401 without a token, with an unknown one, or a revoked one; health needs none", async () => {
    const s = await apiSetup();
    const none = await s.call("GET", "/stock");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect((await s.call("GET", "/stock", { token: "ct_nope" })).status).toBe(401);
    const res = await s.app.request("/api/v1/stock", { headers: { authorization: "Basic abc" } });
    expect(res.status).toBe(401);
    s.tokens.revoke(s.tokenId.viewer, { kind: "system", id: "test" });
    expect((await s.call("GET", "/stock", { role: "viewer" })).status).toBe(401);
    expect((await s.call("GET", "/stock", { role: "counter" })).status).toBe(200);
    const health = await s.call("GET", "/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: "ok",
      store: { ok: true },
      broker: { state: "up" },
      nodes: { total: 0 },
    });
  });
});
