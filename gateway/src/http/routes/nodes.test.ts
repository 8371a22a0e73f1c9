import { generateIdentity, publicKeyPem } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { GATEWAY_CHAIN } from "../../ledger/gateway-ledger.js";
import { apiSetup, chainOf, enrolled, epc } from "../../testing/api.js";
import { type BadInputCase, expectRefusedUnchanged } from "../../testing/bad-input.js";
import { createGatewayApp } from "../app.js";

describe("gateway API: nodes", () => {
  it("enrolls a node from a PEM key, records it in the gateway ledger with the token, issues MQTT credentials once", async () => {
    const s = await apiSetup();
    const identity = generateIdentity();
    const res = await s.call("POST", "/nodes", {
      role: "admin",
      body: { id: "shelf-1", publicKey: publicKeyPem(identity.publicKey) },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      node: { id: string; publicKey: string; chain: unknown };
      mqtt: { username: string; password: string };
    };
    expect(body.node).toMatchObject({
      id: "shelf-1",
      publicKey: identity.publicKeyHex,
      chain: { state: "ok" },
    });
    expect(body.mqtt.username).toBe("shelf-1");
    expect(s.credentials.verify("shelf-1", body.mqtt.password)).toBe(true);
    const entries = [...s.store.entries(GATEWAY_CHAIN)].filter((e) => e.type === "node.enrolled");
    expect(entries).toHaveLength(1);
    expect(entries[0]?.data).toMatchObject({
      by: { kind: "token", id: s.tokenId.admin },
      node: "shelf-1",
      publicKey: identity.publicKeyHex,
    });
    expect(JSON.stringify(entries)).not.toContain(body.mqtt.password);
    expect(s.ledger.verify().ok).toBe(true);
  });

  it("shows status, last seen, head and verified seq, and a broken chain with its seq and reason", async () => {
    const s = await apiSetup();
    const identity = await enrolled(s, "dock-1");
    const chain = chainOf("dock-1");
    chain.move(epc(), null, "dock");
    chain.move(epc(), null, "dock");
    s.clock.advance(1000);
    s.store.appendEntries("dock-1", chain.entries);
    const app = createGatewayApp({
      store: s.store,
      ledger: s.ledger,
      tokens: s.tokens,
      nodeStatus: (id) =>
        id === "dock-1"
          ? {
              receivedAt: "2026-11-22T09:00:05.000Z",
              status: {
                state: "online",
                node: "dock-1",
                version: "0.1.0",
                headSeq: 5,
                ackedSeq: 2,
                readers: [],
                ts: "2026-11-22T09:00:04.000Z",
              },
            }
          : undefined,
    });
    const get = async (path: string) =>
      app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${s.token.viewer}` } });
    const one = await (await get("/nodes/dock-1")).json();
    expect(one).toMatchObject({
      id: "dock-1",
      publicKey: identity.publicKeyHex,
      status: "online",
      lastSeen: "2026-11-22T09:00:05.000Z",
      headSeq: 5,
      verifiedSeq: 2,
      chain: { state: "ok" },
    });
    s.store.markBroken("dock-1", 3, "bad hash", "stored hash differs");
    const list = (await (await get("/nodes")).json()) as { nodes: unknown[] };
    expect(list.nodes).toEqual([
      expect.objectContaining({
        chain: { state: "broken", seq: 3, reason: "bad hash", detail: "stored hash differs" },
      }),
    ]);
  });
});

describe("gateway API: bad input changes nothing", () => {
  const cases: BadInputCase[] = [
    {
      name: "enroll: missing public key",
      method: "POST",
      path: "/nodes",
      init: { body: { id: "dock-2" } },
      status: 400,
      code: "invalid_input",
      path_: "publicKey",
    },
    {
      name: "enroll: not a key",
      method: "POST",
      path: "/nodes",
      init: { body: { id: "dock-2", publicKey: "abcd" } },
      status: 400,
      code: "invalid_input",
      path_: "publicKey",
    },
    {
      name: "enroll: unknown field",
      method: "POST",
      path: "/nodes",
      init: { body: { id: "dock-2", publicKey: "ab".repeat(32), role: "x" } },
      status: 400,
      code: "invalid_input",
    },
    {
      name: "enroll: id of the wrong type",
      method: "POST",
      path: "/nodes",
      init: { body: { id: 7, publicKey: generateIdentity().publicKeyHex } },
      status: 400,
      code: "invalid_input",
      path_: "id",
    },
    {
      name: "enroll: the gateway's own chain id",
      method: "POST",
      path: "/nodes",
      init: { body: { id: "gateway", publicKey: generateIdentity().publicKeyHex } },
      status: 422,
      code: "reserved_id",
      path_: "id",
    },
    {
      name: "enroll: already enrolled",
      method: "POST",
      path: "/nodes",
      init: { body: { id: "dock-1", publicKey: generateIdentity().publicKeyHex } },
      status: 409,
      code: "conflict",
      path_: "id",
    },
    {
      name: "nodes: unknown node",
      method: "GET",
      path: "/nodes/nope",
      init: {},
      status: 404,
      code: "not_found",
    },
  ];

  it.each(cases)("$name → $status $code", expectRefusedUnchanged);
});
