import { describe, expect, it } from "vitest";
import { apiSetup } from "../../testing/api.js";
import { createGatewayApp } from "../app.js";

describe("gateway API: tokens", () => {
  it("health is 503 and degraded when the broker is down", async () => {
    const s = await apiSetup();
    const app = createGatewayApp({
      store: s.store,
      ledger: s.ledger,
      brokerState: () => ({ state: "down", detail: "port taken" }),
    });
    const res = await app.request("/api/v1/health");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "degraded", broker: { state: "down" } });
  });
});
