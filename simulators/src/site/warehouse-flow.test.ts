import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_PRODUCTS } from "./demo-data.js";
import { JsonApi } from "./http-client.js";
import { Dice } from "./pace.js";
import { WarehouseFlow } from "./warehouse-flow.js";
import { SiteWorld } from "./world.js";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A JSON server on a free loopback port answering `route`, keeping every call it got. */
async function fakeApi(
  route: (method: string, path: string, body: unknown) => { status: number; body: unknown },
) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    let text = "";
    for await (const chunk of request) text += chunk;
    const call = {
      method: request.method ?? "",
      path: request.url ?? "",
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(call);
    const answer = route(call.method, call.path, call.body);
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer.body));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(() => server.close());
  const address = server.address() as { port: number };
  return { api: new JsonApi(`http://127.0.0.1:${address.port}`), calls };
}

const HELD_REASON = "exposure 1 300.00 + this order 450.00 > limit 1 200.00";

describe("the simulated warehouse with the ERP's sales orders", () => {
  it("places an order before picking it; a held one is neither picked nor sent to the dock, and goes once a payment released it", async () => {
    let state = "held";
    const gateway = await fakeApi((method, path, body) => {
      if (method === "POST" && path === "/orders") {
        const order = body as { number: string };
        return {
          status: 201,
          body: {
            number: order.number,
            state,
            credit: { reasons: [{ code: "over-limit", message: HELD_REASON }] },
          },
        };
      }
      return { status: 200, body: { state, credit: { reasons: [] } } };
    });
    const portal = await fakeApi((_method, _path, body) => ({ status: 200, body }));
    const world = await SiteWorld.open();
    const product = DEMO_PRODUCTS[0] as (typeof DEMO_PRODUCTS)[number];
    for (const epc of world.newItems(product, 6)) world.putOnShelf(epc, product.gtin, 1);
    const said: string[] = [];
    const flow = new WarehouseFlow({
      world,
      portal: portal.api,
      sales: gateway.api,
      dice: new Dice(7),
      say: (line) => said.push(line),
      settleMs: 1,
    });
    const signal = new AbortController().signal;

    await flow.ship(signal);
    const [placed] = gateway.calls;
    expect(placed).toMatchObject({ method: "POST", path: "/orders", body: { number: "SO-00001" } });
    const lines = (
      (placed as { body: unknown }).body as {
        lines: { gtin: string; quantity: number; unitPrice: number }[];
      }
    ).lines;
    // By GTIN, at the catalog's price: what the ERP's sales module knows.
    expect(lines).toEqual([
      { gtin: product.gtin, quantity: expect.any(Number), unitPrice: product.unitPrice },
    ]);
    // The sim says which order waits and why, in the gateway's words.
    expect(said.filter((line) => line.startsWith("sales: SO-00001 ("))).toEqual([
      expect.stringContaining(`) held: ${HELD_REASON}`),
    ]);
    expect(portal.calls).toEqual([]);
    expect(world.shelvedItems()).toHaveLength(6);
    expect(world.state.held?.map((order) => order.order)).toEqual(["SO-00001"]);
    expect(world.state.shipments).toEqual([]);

    // Still held: asked again and kept aside; the next order is placed (and held too).
    await flow.ship(signal);
    expect(gateway.calls.slice(1).map((call) => `${call.method} ${call.path}`)).toEqual([
      "GET /orders/SO-00001",
      "POST /orders",
    ]);
    expect(world.state.held?.map((order) => order.order)).toEqual(["SO-00001", "SO-00002"]);
    expect(portal.calls).toEqual([]);

    state = "released";
    const before = world.shelvedItems().length;
    await flow.ship(signal);
    expect(gateway.calls).toContainEqual(
      expect.objectContaining({ method: "GET", path: "/orders/SO-00001" }),
    );
    expect(portal.calls[0]).toMatchObject({
      method: "PUT",
      path: "/api/v1/dock/order",
      body: { order: "SO-00001" },
    });
    const quantity = lines[0]?.quantity ?? 0;
    expect(world.state.shipments).toEqual([
      expect.objectContaining({ order: "SO-00001", lines: { [product.gtin]: quantity } }),
    ]);
    expect(world.shelvedItems()).toHaveLength(before - quantity);
    expect(world.state.held?.map((order) => order.order)).toEqual(["SO-00002"]);
  }, 20_000);
});
