import { readFile } from "node:fs/promises";
import { request } from "node:https";
import { join } from "node:path";
import { createIdentity, publicKeyHex } from "@comptoir/contracts";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { connectAsync, type IClientOptions } from "mqtt";
import { describe, expect, it } from "vitest";
import { ensureSiteCa, GatewayCore, siteCaPaths } from "../index.js";
import { cleanupAfterEach, tempDir } from "../testing/broker.js";

/**
 * Issue 13 item 4: the gateway's broker and API over TLS, with a site CA it
 * creates at first start (or the operator's files), the CA handed to a node
 * at enrollment, and plaintext refused off loopback unless allowed.
 */

const defer = cleanupAfterEach();

const tlsDir = () => tempDir(defer, "comptoir-tls-");

async function startGateway(dataDir: string, config: Record<string, unknown>) {
  const gateway = await GatewayCore.start({
    config: GatewayConfigSchema.parse({ gateway: { site: "lyon-1" }, ...config }),
    dataDir,
    listen: { host: "127.0.0.1", port: 0 },
  });
  defer(() => gateway.stop());
  return gateway;
}

/** POST over HTTPS trusting `ca` only. */
function postJson(url: string, token: string, body: unknown, ca: string) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        ca,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

/** "connected", or why the TLS connection or the CONNECT failed. */
async function tryMqtt(url: string, options: IClientOptions): Promise<string> {
  try {
    const client = await connectAsync(url, {
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...options,
    });
    await client.endAsync(true);
    return "connected";
  } catch (error) {
    return (error as Error).message;
  }
}

describe("gateway over TLS with its site CA", () => {
  it("serves mqtts and https, hands the CA out at enrollment, and a node that pins it connects", async () => {
    const root = await tlsDir();
    const gateway = await startGateway(join(root, "gateway"), {
      mqtt: { embedded: { port: 0, tls: true } },
      http: { tls: true },
    });
    expect(gateway.mqttUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    expect(gateway.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = await readFile(siteCaPaths(join(root, "gateway")).caCert, "utf8");
    const identity = await createIdentity(join(root, "dock-1"));
    const enrolled = await postJson(
      `${gateway.url}/api/v1/nodes`,
      gateway.firstAdminToken ?? "",
      { id: "dock-1", publicKey: publicKeyHex(identity.publicKey) },
      ca,
    );
    expect(enrolled.status).toBe(201);
    const mqtt = (enrolled.body as { mqtt: { username: string; password: string; ca: string } })
      .mqtt;
    expect(mqtt.ca).toBe(ca);
    const login = { clientId: "dock-1", username: mqtt.username, password: mqtt.password };
    expect(await tryMqtt(gateway.mqttUrl, { ...login, ca: mqtt.ca })).toBe("connected");
    // Without the pin, or pinning another site's CA, the gateway's certificate is not trusted.
    expect(await tryMqtt(gateway.mqttUrl, login)).toMatch(/certificate/i);
    const other = await ensureSiteCa(join(root, "other-site"), ["127.0.0.1"]);
    expect(await tryMqtt(gateway.mqttUrl, { ...login, ca: other.ca })).toMatch(/certificate/i);
  });

  it("keeps its CA across restarts, so a node's pin stays good", async () => {
    const root = await tlsDir();
    const dataDir = join(root, "gateway");
    const config = { mqtt: { embedded: { port: 0, tls: true } } };
    const first = await startGateway(dataDir, config);
    const ca = await readFile(siteCaPaths(dataDir).caCert, "utf8");
    await first.stop();
    await startGateway(dataDir, config);
    expect(await readFile(siteCaPaths(dataDir).caCert, "utf8")).toBe(ca);
  });

  it("serves the operator's own certificate files instead of the site CA", async () => {
    const root = await tlsDir();
    const own = await ensureSiteCa(join(root, "operator-pki"), ["127.0.0.1"]);
    const files = siteCaPaths(join(root, "operator-pki"));
    const gateway = await startGateway(join(root, "gateway"), {
      mqtt: { embedded: { port: 0, tls: true } },
      tls: { cert: files.serverCert, key: files.serverKey, ca: files.caCert },
    });
    expect(await tryMqtt(gateway.mqttUrl, { ca: own.ca, clientId: "x", username: "x" })).toBe(
      "Connection refused: Not authorized",
    );
  });
});

describe("plaintext off loopback", () => {
  it("refuses a plaintext broker or API on a LAN address, naming the setting", async () => {
    const root = await tlsDir();
    await expect(
      startGateway(join(root, "a"), {
        mqtt: { embedded: { host: "0.0.0.0", port: 0, tls: false } },
      }),
    ).rejects.toThrow(
      "refusing to serve the embedded MQTT broker in plaintext on 0.0.0.0: node secrets, acks and prices would cross the network in clear — remove mqtt.embedded.tls: false",
    );
    await expect(
      GatewayCore.start({
        config: GatewayConfigSchema.parse({
          gateway: { site: "lyon-1" },
          mqtt: { embedded: { port: 0 } },
          http: { listen: "0.0.0.0:0", tls: false },
        }),
        dataDir: join(root, "b"),
      }),
    ).rejects.toThrow("refusing to serve the HTTP API in plaintext on 0.0.0.0");
  });

  it("turns TLS on by default off loopback, and allows plaintext only when the config says so", async () => {
    const root = await tlsDir();
    const lan = await startGateway(join(root, "lan"), {
      mqtt: { embedded: { host: "0.0.0.0", port: 0 } },
    });
    expect(lan.mqttUrl).toMatch(/^mqtts:\/\//);
    const allowed = await startGateway(join(root, "allowed"), {
      mqtt: { embedded: { host: "0.0.0.0", port: 0, tls: false } },
      tls: { allowPlaintext: true },
    });
    expect(allowed.mqttUrl).toMatch(/^mqtt:\/\/0\.0\.0\.0:/);
  });

  it("refuses to reach an external broker in plaintext off loopback", async () => {
    const root = await tlsDir();
    await expect(
      startGateway(join(root, "ext"), { mqtt: { url: "mqtt://user:pw@192.0.2.7:1883" } }),
    ).rejects.toThrow("refusing to reach the broker at mqtt://192.0.2.7:1883 in plaintext");
  });
});
