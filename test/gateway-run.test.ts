import { once } from "node:events";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { main } from "@comptoir/cli";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore } from "@comptoir/gateway";
import { afterEach, describe, expect, it } from "vitest";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const config = GatewayConfigSchema.parse({
  gateway: { site: "lyon-1" },
  mqtt: { embedded: { port: 0 } },
});

/** Runs `comptoir gateway` on a config in `dir` (stopped at once), with what it printed. */
async function runGateway(
  dir: string,
  mqtt: Record<string, unknown> = {},
): Promise<{ code: number; output: string }> {
  const file = join(dir, "gateway.json");
  await writeFile(
    file,
    JSON.stringify({
      gateway: { site: "lyon-1", dataDir: "./data" },
      mqtt: { embedded: { port: 0, ...mqtt } },
      http: { listen: "127.0.0.1:0" },
      log: { level: "silent" },
    }),
  );
  let output = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      output += String(chunk);
      done();
    },
  });
  const code = await main(["gateway", "--config", file], {
    stdout: sink,
    stderr: sink,
    env: {},
    waitForStop: async () => "SIGTERM",
  });
  return { code, output };
}

describe("comptoir gateway: the HTTP side of a start", () => {
  it("says when the API's port is taken, and shows the admin token at the first start that serves", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "comptoir-gateway-run-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const squatter = createServer();
    squatter.listen(0, "127.0.0.1");
    await once(squatter, "listening");
    cleanups.push(() => new Promise((done) => squatter.close(done)));
    const { port } = squatter.address() as { port: number };

    await expect(
      GatewayCore.start({ config, dataDir, listen: { host: "127.0.0.1", port } }),
    ).rejects.toThrow(/cannot serve the gateway API on 127\.0\.0\.1:\d+: the port is in use/);

    const gateway = await GatewayCore.start({
      config,
      dataDir,
      listen: { host: "127.0.0.1", port: 0 },
    });
    expect(gateway.firstAdminToken).toMatch(/^ct_/);
    const health = await fetch(`${gateway.url}/api/v1/health`);
    expect(health.status).toBe(200);
    const nodes = await fetch(`${gateway.url}/api/v1/nodes`, {
      headers: { authorization: `Bearer ${gateway.firstAdminToken}` },
    });
    expect(nodes.status).toBe(200);
    await gateway.stop();

    // Shown once: the next start has none to show, and the token still works.
    const again = await GatewayCore.start({
      config,
      dataDir,
      listen: { host: "127.0.0.1", port: 0 },
    });
    cleanups.push(() => again.stop());
    expect(again.firstAdminToken).toBeUndefined();
  });

  it("writes the first admin token to a 0600 file in the data directory and prints its path, not the token", async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-gateway-run-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const { code, output: stdout } = await runGateway(dir);
    expect(code).toBe(0);
    const tokenFile = join(dir, "data", "admin-token");
    expect(stdout).toContain(tokenFile);
    expect(stdout).not.toMatch(/ct_/);
    const token = (await readFile(tokenFile, "utf8")).trim();
    expect(token).toMatch(/^ct_/);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
  });

  it("refuses plaintext MQTT on a LAN address naming the setting, and prints the site CA nodes pin with TLS", async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-gateway-run-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const run = (mqtt: Record<string, unknown>) => runGateway(dir, mqtt);
    const plain = await run({ host: "0.0.0.0", tls: false });
    expect(plain.code).not.toBe(0);
    expect(plain.output).toContain(
      "refusing to serve the embedded MQTT broker in plaintext on 0.0.0.0",
    );
    expect(plain.output).toContain("tls.allowPlaintext: true");
    const tls = await run({ host: "127.0.0.1", tls: true });
    expect(tls.code).toBe(0);
    expect(tls.output).toMatch(/MQTT +mqtts:\/\/127\.0\.0\.1:\d+/);
    expect(tls.output).toContain(`site CA            ${join(dir, "data", "tls", "ca.pem")}`);
  });
});
