import { describe, expect, it } from "vitest";
import { GatewayConfigSchema } from "./gateway.js";

describe("gateway config: HTTP limits, live feed and ingest caps", () => {
  it("has bounded defaults for every limit", () => {
    const config = GatewayConfigSchema.parse({ gateway: { site: "lyon-1" } });
    expect(config.http.limits).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 120_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 512,
    });
    expect(config.http.live).toEqual({ maxClients: 200, recheckMs: 5_000 });
    expect(config.ingest).toEqual({ maxQueuedBatches: 32, clockSkewSeconds: 120 });
  });

  it("refuses a headers timeout longer than the request timeout, naming the key", () => {
    const parsed = GatewayConfigSchema.safeParse({
      gateway: { site: "lyon-1" },
      http: { limits: { headersTimeoutMs: 60_000, requestTimeoutMs: 30_000 } },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["http", "limits", "headersTimeoutMs"]);
  });
});
