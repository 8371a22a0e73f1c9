import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
});
