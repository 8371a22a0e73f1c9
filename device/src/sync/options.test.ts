import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clientOptionsFromConfig, requireGatewayKey } from "./options.js";
import { lastWill } from "./status.js";

const will = lastWill("comptoir/site-1/node/dock-1/status", "dock-1");
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function pemFiles() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-tls-"));
  dirs.push(dir);
  const files = {
    ca: join(dir, "ca.pem"),
    cert: join(dir, "node.pem"),
    key: join(dir, "node.key"),
  };
  await writeFile(files.ca, "CA PEM");
  await writeFile(files.cert, "CERT PEM");
  await writeFile(files.key, "KEY PEM");
  return files;
}

describe("MQTT client options from the node config", () => {
  it("uses the node's credentials and id, with the last will, and never queues offline", async () => {
    const options = await clientOptionsFromConfig(
      { url: "mqtt://127.0.0.1:1883", username: "dock-1", password: "s3cret" },
      { node: "dock-1", will },
    );
    expect(options).toMatchObject({
      clientId: "dock-1",
      username: "dock-1",
      password: "s3cret",
      clean: true,
      queueQoSZero: false,
      writeCache: false,
      will: { topic: "comptoir/site-1/node/dock-1/status", qos: 1, retain: true },
    });
    expect(options.ca).toBeUndefined();
  });

  it("reads the CA, client certificate and key for mqtts://", async () => {
    const files = await pemFiles();
    const options = await clientOptionsFromConfig(
      { url: "mqtts://gateway.local:8883", ...files },
      { node: "dock-1", will },
    );
    expect(options.rejectUnauthorized).toBe(true);
    expect(String(options.ca)).toBe("CA PEM");
    expect(String(options.cert)).toBe("CERT PEM");
    expect(String(options.key)).toBe("KEY PEM");
  });

  it("refuses TLS files on a plain URL, a certificate without its key, and missing files", async () => {
    const files = await pemFiles();
    await expect(
      clientOptionsFromConfig(
        { url: "mqtt://gateway.local:1883", ca: files.ca },
        { node: "dock-1", will },
      ),
    ).rejects.toThrow(
      "mqtt.ca set, but mqtt.url mqtt://gateway.local:1883 is not a TLS URL — use mqtts://",
    );
    await expect(
      clientOptionsFromConfig(
        { url: "mqtts://gateway.local:8883", cert: files.cert },
        { node: "dock-1", will },
      ),
    ).rejects.toThrow("mqtt.cert and mqtt.key go together");
    await expect(
      clientOptionsFromConfig(
        { url: "mqtts://gateway.local:8883", ca: join(files.ca, "..", "missing.pem") },
        { node: "dock-1", will },
      ),
    ).rejects.toThrow(/cannot read mqtt\.ca .*missing\.pem: ENOENT/);
  });

  it("takes mqtt.ca as the PEM itself, as enrollment hands it out", async () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const options = await clientOptionsFromConfig(
      { url: "mqtts://gateway.local:8883", ca: pem },
      { node: "dock-1", will },
    );
    expect(String(options.ca)).toBe(pem);
  });

  it("refuses plaintext to a broker off loopback unless mqtt.allowPlaintext says so, and warns then", async () => {
    await expect(
      clientOptionsFromConfig(
        { url: "mqtt://dock-1:s3cret@192.168.1.10:1883", username: "dock-1" },
        { node: "dock-1", will },
      ),
    ).rejects.toThrow(
      "refusing to send this node's MQTT secret and ledger in plaintext to mqtt://192.168.1.10:1883 — use the gateway's mqtts:// URL with mqtt.ca",
    );
    const warnings: string[] = [];
    const logger = { warn: (_: unknown, message: string) => warnings.push(message) };
    const options = await clientOptionsFromConfig(
      { url: "mqtt://192.168.1.10:1883", allowPlaintext: true },
      { node: "dock-1", will, logger: logger as never },
    );
    expect(options.clientId).toBe("dock-1");
    expect(warnings).toEqual(["plaintext MQTT to a non-loopback broker (mqtt.allowPlaintext)"]);
  });

  it("refuses a broker off this machine without mqtt.gatewayKey, naming the key and where to find it", () => {
    const lan = { url: "mqtts://gateway.lan:8883", username: "dock-1", ca: "ca.pem" };
    expect(() => requireGatewayKey(lan)).toThrow(
      "mqtt.gatewayKey is not set, and the broker mqtts://gateway.lan:8883 is not on this machine: set it to gateway.publicKey from the enrollment answer",
    );
    expect(() => requireGatewayKey({ ...lan, gatewayKey: "ab".repeat(32) })).not.toThrow();
    expect(() => requireGatewayKey({ url: "mqtt://127.0.0.1:1883" })).not.toThrow();
  });
});
