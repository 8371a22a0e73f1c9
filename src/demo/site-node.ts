import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { createIdentity, identityPaths, type Logger, loadIdentity } from "@comptoir/contracts";
import { hashPin, type RunningNode, startNode } from "@comptoir/device";
import { loadConfigFile, NodeConfigSchema } from "@comptoir/firmware-config";
import { ApiCallError, type JsonApi } from "@comptoir/simulators";
import { parse, stringify } from "yaml";
import type { DemoNodeSpec, demoPaths } from "./site-layout.js";

/** The counter's supervisor in the demo; the PIN is printed so that anyone can try an override. */
export const DEMO_SUPERVISOR = { id: "chef", name: "Claire (supervisor)", pin: "246813" };

export interface SiteNodeTarget {
  /** The gateway's API with a token allowed to enroll nodes. */
  api: JsonApi;
  mqttUrl: string;
  site: string;
}

/**
 * A node as an installer would set it up: identity key, enrolment on the
 * gateway (which issues its MQTT password), a config file; then started.
 */
export async function startSiteNode(
  spec: DemoNodeSpec,
  readerUrl: string,
  options: SiteNodeTarget,
  paths: ReturnType<typeof demoPaths>,
  logger: Logger,
): Promise<RunningNode> {
  const file = paths.nodeConfig(spec.id);
  const dataDir = paths.nodeData(spec.id);
  // A key that exists is loaded (a damaged one stops the start: replacing it would break the chain).
  const identity = existsSync(identityPaths(dataDir).privateKey)
  /** With a TLS broker, the PEM the nodes pin (mqtt.ca). */
  mqttCa?: string;
    ? await loadIdentity(dataDir)
    : await createIdentity(dataDir);
  let mqtt = existsSync(file) ? previousCredentials(file, await readFile(file, "utf8")) : undefined;
  const known = await options.api.get(`/nodes/${spec.id}`).then(
    () => true,
    (error: unknown) => {
      if (error instanceof ApiCallError && error.status === 404) return false;
      throw error;
    },
  );
  if (!known) {
    const enrolled = await options.api.post<{
      mqtt?: { username: string; password: string };
      gateway?: { publicKey: string };
    }>("/nodes", {
      id: spec.id,
      publicKey: identity.publicKeyHex,
    });
    mqtt = {
      ...enrolled.mqtt,
      // The node then takes only what this gateway signed.
      ...(enrolled.gateway ? { gatewayKey: enrolled.gateway.publicKey } : {}),
    };
  }
  await writeYaml(file, {
    node: { id: spec.id, site: options.site, role: spec.role, dataDir: "./data" },
    readers: [
      { id: spec.reader, protocol: spec.protocol, url: readerUrl, antennas: spec.antennas },
    ],
    mqtt: { url: options.mqttUrl, ...mqtt, ...(options.mqttCa ? { ca: options.mqttCa } : {}) },
    http: { listen: "127.0.0.1:0" },
    ...(spec.smoothing ? { smoothing: spec.smoothing } : {}),
    ...(spec.role === "counter"
      ? {
          pos: {
            supervisors: [
              {
                id: DEMO_SUPERVISOR.id,
                name: DEMO_SUPERVISOR.name,
                pinHash: await hashPin(DEMO_SUPERVISOR.pin),
              },
            ],
          },
        }
      : {}),
    log: { level: "warn" },
  });
  const { config } = loadConfigFile(file, NodeConfigSchema, {});
  return startNode({ config, dataDir, logger: logger.child({ node: spec.id }) });
}

function previousCredentials(
  file: string,
  text: string,
): { username?: string; password?: string; gatewayKey?: string } | undefined {
  let config: { mqtt?: { username?: unknown; password?: unknown; gatewayKey?: unknown } } | null;
  try {
    config = parse(text) as typeof config;
  } catch (error) {
    throw new Error(`${file} is not valid YAML (${(error as Error).message}): fix or remove it`);
  }
  const mqtt = config?.mqtt;
  const gatewayKey = typeof mqtt?.gatewayKey === "string" ? { gatewayKey: mqtt.gatewayKey } : {};
  return typeof mqtt?.username === "string" && typeof mqtt.password === "string"
    ? { username: mqtt.username, password: mqtt.password, ...gatewayKey }
    : Object.keys(gatewayKey).length > 0
      ? gatewayKey
      : undefined;
}

export async function writeYaml(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, stringify(value), { mode: 0o600 });
}
