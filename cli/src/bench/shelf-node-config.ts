import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createIdentity } from "@comptoir/contracts";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { enrollWithCredentials, GatewayCore } from "@comptoir/gateway";

export interface ShelfNodeSetup {
  gateway: GatewayCore;
  /** The node's directory: its config file and its data/ go there. */
  nodeDir: string;
  node: string;
  site: string;
  /** The reader's id and URL (a simulated ThingMagic reader), one antenna per bay, in order. */
  reader: { id: string; url: string };
  bays: readonly string[];
  /** Sections added to the config (smoothing, ledger…). */
  extra?: Record<string, unknown>;
}

/**
 * A shelf node set up as an installer would, for a node process to start
 * from: its identity key, its enrolment on the gateway (which issues its
 * MQTT password), and its config file. Returns the config file's path.
 * Shared by the benchmarks and the tests that run a node process.
 */
export async function writeShelfNodeConfig(setup: ShelfNodeSetup): Promise<string> {
  await mkdir(setup.nodeDir, { recursive: true });
  const identity = await createIdentity(join(setup.nodeDir, "data"));
  const { mqtt } = enrollWithCredentials(
    setup.gateway.store,
    setup.gateway.credentials,
    setup.node,
    identity.publicKeyHex,
  );
  const config = join(setup.nodeDir, "node.json");
  await writeFile(
    config,
    JSON.stringify({
      node: { id: setup.node, site: setup.site, role: "shelf", dataDir: "./data" },
      readers: [
        {
          id: setup.reader.id,
          protocol: "thingmagic",
          url: setup.reader.url,
          antennas: setup.bays.map((zone, i) => ({ port: i + 1, zone })),
        },
      ],
      // With TLS, the node pins the broker's CA, as the enrollment answer gives it.
      mqtt: {
        url: setup.gateway.mqttUrl,
        ...mqtt,
        ...(setup.gateway.brokerCa ? { ca: setup.gateway.brokerCa } : {}),
      },
      http: { listen: "127.0.0.1:0" },
      log: { level: "warn" },
      ...setup.extra,
    }),
  );
  return config;
}

/**
 * A gateway with its embedded broker (over TLS, with its site CA, as on a
 * site) and API on ephemeral ports, its data under `dataDir`.
 */
export function startQuietGateway(site: string, dataDir: string): Promise<GatewayCore> {
  return GatewayCore.start({
    config: GatewayConfigSchema.parse({
      gateway: { site },
      mqtt: { embedded: { port: 0, tls: true } },
      http: { listen: "127.0.0.1:0" },
      log: { level: "warn" },
    }),
    dataDir,
  });
}
