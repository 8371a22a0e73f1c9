import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createNodeApp } from "../app.js";
import { FakeNodeApi } from "../testing/fake-api.js";
import { TerminalTokens } from "./terminal-tokens.js";

const A = "3034257BF7194E4000000001";

/** What the node's HTTP server hands the app: the TCP peer of the request. */
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

function setup(options: { kiosk?: boolean; allowedHosts?: string[] } = {}) {
  const api = new FakeNodeApi();
  const tokens = new TerminalTokens();
  const app = createNodeApp(api, { tokens, ...options });
  const commission = (
    headers: Record<string, string> = {},
    url = "/api/v1/tags/commission",
    env?: object,
  ) =>
    app.request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ epc: A, sku: "SKU-1" }),
      },
      env,
    );
  const commissioned = () => api.calls.filter((call) => call.method === "commission").length;
  return { api, app, tokens, commission, commissioned };
}

describe("the node's local API needs a terminal token", () => {
  it("refuses a state change without a token, or with a wrong or revoked one (401), and records nothing", async () => {
    const { tokens, commission, commissioned } = setup();
    const none = await commission();
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect(((await none.json()) as { error: { message: string } }).error.message).toContain(
      "comptoir node token create",
    );
    expect((await commission({ authorization: "Bearer ctt_guess" })).status).toBe(401);
    const token = tokens.create("tablet", "station");
    expect((await commission({ authorization: `Bearer ${token}` })).status).toBe(201);
    tokens.revoke("tablet");
    expect((await commission({ authorization: `Bearer ${token}` })).status).toBe(401);
    expect(commissioned()).toBe(1);
  });

  it("lets each role do its own work only: a counter token cannot commission tags (403)", async () => {
    const { tokens, commission, commissioned, app } = setup();
    const counter = tokens.create("till-1", "counter");
    const refused = await commission({ authorization: `Bearer ${counter}` });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      'terminal "till-1" (role counter)',
    );
    expect(commissioned()).toBe(0);
    // Any terminal may read stock.
    const stock = await app.request("/api/v1/stock", {
      headers: { authorization: `Bearer ${counter}` },
    });
    expect(stock.status).toBe(200);
    expect((await app.request("/api/v1/stock")).status).toBe(401);
  });

  it("keeps GET /health open, without anything secret in it", async () => {
    const { app, tokens } = setup();
    const token = tokens.create("tablet", "admin");
    const health = await app.request("/health");
    expect(health.status).toBe(200);
    const text = await health.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain("tablet");
  });
});

describe("Host allow-list", () => {
  it("refuses (421) a request naming a foreign host, as a DNS-rebinding page would, and records nothing", async () => {
    const { tokens, commission, commissioned } = setup({ allowedHosts: ["till.shop.lan"] });
    const token = tokens.create("tablet", "station");
    const auth = { authorization: `Bearer ${token}` };
    const rebound = await commission(auth, "http://evil.example:8080/api/v1/tags/commission");
    expect(rebound.status).toBe(421);
    expect(((await rebound.json()) as { error: { message: string } }).error.message).toContain(
      "http.allowedHosts",
    );
    expect(commissioned()).toBe(0);
    expect(
      (await commission(auth, "http://till.shop.lan:8080/api/v1/tags/commission")).status,
    ).toBe(201);
    expect((await commission(auth, "http://127.0.0.1:8080/api/v1/tags/commission")).status).toBe(
      200,
    );
  });
});

describe("kiosk mode", () => {
  it("off by default: a request from the node itself still needs a token", async () => {
    const { commission } = setup();
    expect((await commission({}, undefined, from("127.0.0.1"))).status).toBe(401);
  });

  it("on: lets a browser on the node itself in without a token, never one from the network or another site's page", async () => {
    const { commission, commissioned } = setup({ kiosk: true });
    expect((await commission({}, undefined, from("192.168.1.40"))).status).toBe(401);
    expect(
      (await commission({ origin: "http://evil.example" }, undefined, from("127.0.0.1"))).status,
    ).toBe(401);
    expect((await commission({}, undefined, from("127.0.0.1"))).status).toBe(201);
    expect((await commission({}, undefined, from("::ffff:127.0.0.1"))).status).toBe(200);
    expect(commissioned()).toBe(1);
  });
});

describe("the terminal token file", () => {
  it("that is not JSON is refused naming the file and what to do, not with a parser error", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "comptoir-tokens-")), "terminal-tokens.json");
    await writeFile(path, "{ torn");
    expect(() => new TerminalTokens(path)).toThrow(
      `${path} is not a terminal token file — restore it from a backup`,
    );
  });
});
