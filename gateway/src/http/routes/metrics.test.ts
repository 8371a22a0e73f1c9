import { describe, expect, it } from "vitest";
import { apiSetup, chainOf, enrolled, epc } from "../../testing/api.js";

describe("gateway API: OpenAPI and metrics", () => {
  it("serves Prometheus text about nodes, stock, the ledger and requests", async () => {
    const s = await apiSetup();
    await enrolled(s, "dock-1");
    const chain = chainOf("dock-1");
    chain.move(epc(), null, "dock");
    s.store.appendEntries("dock-1", chain.entries);
    await s.call("GET", "/stock", { role: "viewer" });
    const res = await s.call("GET", "/metrics", { role: "viewer" });
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('comptoir_nodes{state="ok"} 1');
    expect(text).toContain('comptoir_node_verified_seq{node="dock-1"} 1');
    expect(text).toContain('comptoir_stock_items{zone="dock"} 1');
    expect(text).toMatch(/comptoir_gateway_ledger_seq \d+/);
    expect(text).toContain("comptoir_broker_up 1");
    expect(text).toMatch(
      /comptoir_http_requests_total\{method="GET",route="\/api\/v1\/stock",status="200"\} 1/,
    );
  });
});
