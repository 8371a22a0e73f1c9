import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TokenStore } from "../auth/tokens.js";
import { GatewayLedger } from "../ledger/gateway-ledger.js";
import { Store } from "../store/store.js";
import { RouteGroup } from "./route-group.js";

async function tokensAndViewer() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-route-group-"));
  const store = new Store(join(dir, "gateway.db"));
  const tokens = new TokenStore(store.db, new GatewayLedger(store, generateIdentity()));
  const viewer = tokens.create("viewer", "test", { kind: "system", id: "test" }).token;
  return { tokens, viewer };
}

const Item = z.strictObject({ id: z.coerce.number().int().min(1) });

describe("a route group", () => {
  it("checks the token, its role and the schemas of a definition before the handler, which gets the parsed values", async () => {
    const { tokens, viewer } = await tokensAndViewer();
    const seen: number[] = [];
    const group = new RouteGroup(tokens).route(
      {
        method: "get",
        path: "/items/:id",
        summary: "one item",
        permission: "stock:read",
        params: Item,
        responses: { 200: { description: "the item" } },
      },
      (c) => {
        seen.push(c.req.valid("param").id);
        return c.json({ id: c.req.valid("param").id });
      },
    );
    const get = (path: string, token?: string) =>
      group.app.request(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});

    expect((await get("/items/7")).status).toBe(401);
    expect((await get("/items/zero", viewer)).status).toBe(400);
    const ok = await get("/items/7", viewer);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: 7 });
    expect(seen).toEqual([7]);
  });

  it("documents exactly the routes it registers, its own and an included group's, in order", async () => {
    const { tokens } = await tokensAndViewer();
    const reply = () => new Response(null, { status: 204 });
    const inner = new RouteGroup(tokens).route(
      { method: "post", path: "/b", summary: "b", permission: null, responses: {} },
      reply,
    );
    const group = new RouteGroup(tokens)
      .route(
        { method: "get", path: "/a", summary: "a", permission: "stock:read", responses: {} },
        reply,
      )
      .include(inner)
      .route(
        { method: "put", path: "/c/:id", summary: "c", permission: null, responses: {} },
        reply,
      );

    const served = new Set(
      group.app.routes
        .filter((route) => route.method !== "ALL")
        .map((route) => `${route.method} ${route.path}`),
    );
    const documented = group.docs.map((doc) => `${doc.method.toUpperCase()} ${doc.path}`);
    expect(documented).toEqual(["GET /a", "POST /b", "PUT /c/:id"]);
    expect(served).toEqual(new Set(documented));
  });
});
