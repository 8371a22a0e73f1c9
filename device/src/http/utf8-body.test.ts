import { silentLogger } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { createSerial } from "./context.js";
import { tagRoutes } from "./routes/tags.js";
import { FakeNodeApi } from "./testing/fake-api.js";

/**
 * Issue 13, item 18, on a node: a JSON body that is not UTF-8 never
 * reaches the ledger (a lenient decoding would sign U+FFFD into it).
 */
describe("the node's JSON bodies are UTF-8", () => {
  it("POST /tags/commission with invalid UTF-8 in the SKU is a 400 naming sku, and nothing is commissioned", async () => {
    const api = new FakeNodeApi();
    const routes = tagRoutes({
      api,
      log: silentLogger,
      stationActions: false,
      heartbeatMs: 1000,
      serial: createSerial(),
    });
    const body = new Uint8Array([
      ...new TextEncoder().encode('{"epc":"3034257BF7194E4000000001","sku":"SKU-'),
      0xff,
      0xfe,
      0xc3,
      0x28,
      ...new TextEncoder().encode('"}'),
    ]);
    const res = await routes.request("/tags/commission", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: { path?: string; message: string } };
    expect(answer.error.path).toBe("sku");
    expect(answer.error.message).toContain("not valid UTF-8");
    expect(api.calls).toEqual([]);
  });
});
