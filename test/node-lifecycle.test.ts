import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity } from "@comptoir/contracts";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore, TokenStore } from "@comptoir/gateway";
import { connectAsync, type MqttClient } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

const SITE = "site-1";
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** The parts of the answers these tests read. */
interface Answer {
  mqtt: { password: string; ca?: string } & "revoked";
  gateway: { publicKey: string };
  error: { message: string };
}

/** A real gateway (embedded broker, HTTP API) with an admin and a warehouse token. */
async function gateway() {
  const dataDir = await mkdtemp(join(tmpdir(), "comptoir-lifecycle-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const core = await GatewayCore.start({
    config: GatewayConfigSchema.parse({
      gateway: { site: SITE },
      mqtt: { embedded: { port: 0 } },
      log: { level: "warn" },
    }),
    dataDir,
    listen: { host: "127.0.0.1", port: 0 },
  });
  cleanups.push(() => core.stop());
  const tokens = new TokenStore(core.store.db, core.ledger);
  const system = { kind: "system" as const, id: "test" };
  const admin = tokens.create("admin", "operator", system).token;
  const warehouse = tokens.create("warehouse", "dock tablet", system).token;
  const call = async (method: string, path: string, body: unknown, token = admin) => {
    const response = await fetch(`${core.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  return { core, call, warehouse, admin };
}

async function login(url: string, node: string, password: string): Promise<MqttClient> {
  const client = await connectAsync(url, {
    clientId: node,
    username: node,
    password,
    reconnectPeriod: 0,
  });
  cleanups.push(() => client.endAsync(true));
  return client;
}

/** Resolves when the broker closes the client's connection. */
function closing(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once("close", () => resolve()));
}

/** The CONNACK return code of a login attempt, or "connected". */
async function attempt(url: string, node: string, password: string): Promise<number | string> {
  try {
    await login(url, node, password);
    return "connected";
  } catch (error) {
    return (error as { code?: number }).code ?? String(error);
  }
}

describe("node lifecycle over the admin API", () => {
  it("revoke: the secret stops working at once, the open session is dropped, the stored node stays", async () => {
    const { core, call, warehouse } = await gateway();
    const enrolled = await call("POST", "/nodes", {
      id: "dock-1",
      publicKey: generateIdentity().publicKeyHex,
    });
    expect(enrolled.status).toBe(201);
    const secret = enrolled.body.mqtt.password;
    const session = await login(core.mqttUrl, "dock-1", secret);

    const refused = await call("POST", "/nodes/dock-1/revoke", { reason: "stolen" }, warehouse);
    expect(refused.status).toBe(403);
    expect(session.connected).toBe(true);

    const closed = closing(session);
    const revoked = await call("POST", "/nodes/dock-1/revoke", {
      reason: "tablet stolen from the dock",
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.mqtt).toBe("revoked");
    await closed;
    expect(await attempt(core.mqttUrl, "dock-1", secret)).toBe(4);
    expect((await call("GET", "/nodes/dock-1", undefined)).status).toBe(200);
    const recorded = core.store.db
      .prepare("SELECT data FROM entries WHERE chain = 'gateway' AND type = 'node.revoked'")
      .all() as { data: string }[];
    // Who did it and why, in the gateway's own signed chain.
    expect(recorded.map((row) => JSON.parse(row.data))).toMatchObject([
      { node: "dock-1", reason: "tablet stolen from the dock", by: { kind: "token" } },
    ]);
    // Rotating a revoked node would undo the revocation without a reason: refused.
    expect((await call("POST", "/nodes/dock-1/rotate", {})).status).toBe(409);
  });

  it("rotate: the new secret is returned once and works; the old one and its session stop", async () => {
    const { core, call } = await gateway();
    const enrolled = await call("POST", "/nodes", {
      id: "shelf-1",
      publicKey: generateIdentity().publicKeyHex,
    });
    const old = enrolled.body.mqtt.password;
    const session = await login(core.mqttUrl, "shelf-1", old);
    const closed = closing(session);

    const rotated = await call("POST", "/nodes/shelf-1/rotate", { reason: "yearly rotation" });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.mqtt.password;
    expect(fresh).not.toBe(old);
    // The answer holds all a node's config needs, as enrollment's does.
    expect(rotated.body.gateway).toEqual(enrolled.body.gateway);
    expect(rotated.body.mqtt.ca).toBe(enrolled.body.mqtt.ca);
    await closed;
    expect(await attempt(core.mqttUrl, "shelf-1", old)).toBe(4);
    expect(await attempt(core.mqttUrl, "shelf-1", fresh)).toBe("connected");
    // Enrolling again is still a conflict, and it says where to go instead.
    const again = await call("POST", "/nodes", {
      id: "shelf-1",
      publicKey: generateIdentity().publicKeyHex,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/rotate|reenroll/);
  });

  it("re-enroll: a revoked node gets new credentials, with its own key only", async () => {
    const { core, call } = await gateway();
    const key = generateIdentity().publicKeyHex;
    await call("POST", "/nodes", { id: "counter-1", publicKey: key });
    await call("POST", "/nodes/counter-1/revoke", { reason: "lost" });

    const stranger = await call("POST", "/nodes/counter-1/reenroll", {
      reason: "found it",
      publicKey: generateIdentity().publicKeyHex,
    });
    expect(stranger.status).toBe(409);
    const back = await call("POST", "/nodes/counter-1/reenroll", {
      reason: "found behind the till",
      publicKey: key,
    });
    expect(back.status).toBe(200);
    expect(await attempt(core.mqttUrl, "counter-1", back.body.mqtt.password)).toBe("connected");
    expect((await call("POST", "/nodes/nobody/reenroll", { reason: "x" })).status).toBe(404);
    expect((await call("POST", "/nodes/counter-1/revoke", {})).status).toBe(400);
  });
});

describe("comptoir gateway node revoke|rotate|reenroll|recover", () => {
  it("changes a node's credentials on a running gateway, with the token from COMPTOIR_TOKEN", async () => {
    const { core, call, admin } = await gateway();
    const enrolled = await call("POST", "/nodes", {
      id: "dock-1",
      publicKey: generateIdentity().publicKeyHex,
    });
    const session = await login(core.mqttUrl, "dock-1", enrolled.body.mqtt.password);
    const closed = closing(session);
    const env = { COMPTOIR_TOKEN: admin };
    const at = ["--gateway", core.url];

    const rotated = await runCli(["gateway", "node", "rotate", "dock-1", ...at], env);
    expect(rotated.code).toBe(0);
    await closed;
    const secret = /mqtt\.password: (\S+)/.exec(rotated.stdout)?.[1] as string;
    expect(await attempt(core.mqttUrl, "dock-1", secret)).toBe("connected");

    const revoked = await runCli(
      ["gateway", "node", "revoke", "dock-1", ...at, "--reason", "left the site"],
      env,
    );
    expect(revoked).toMatchObject({ code: 0, stdout: expect.stringMatching(/revoked/) });
    expect(await attempt(core.mqttUrl, "dock-1", secret)).toBe(4);

    const back = await runCli(
      ["gateway", "node", "reenroll", "dock-1", ...at, "--reason", "back in service"],
      env,
    );
    expect(back.code).toBe(0);
    const fresh = /mqtt\.password: (\S+)/.exec(back.stdout)?.[1] as string;
    expect(await attempt(core.mqttUrl, "dock-1", fresh)).toBe("connected");

    const notBroken = await runCli(
      ["gateway", "node", "recover", "dock-1", ...at, "--reason", "why not"],
      env,
    );
    expect(notBroken.code).toBe(1);
    expect(notBroken.stderr).toMatch(/HTTP 409.*not broken/);
    expect((await runCli(["gateway", "node", "revoke", "dock-1", ...at], env)).code).toBe(2);
  });
});
