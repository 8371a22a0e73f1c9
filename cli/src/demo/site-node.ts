import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { createIdentity, identityPaths, type Logger, loadIdentity } from "@comptoir/contracts";
import {
  hashPin,
  type RunningNode,
  startNode,
  TerminalTokens,
  terminalTokensPath,
} from "@comptoir/device";
import { loadConfigFile, NodeConfigSchema } from "@comptoir/firmware-config";
import { ApiCallError, type JsonApi } from "@comptoir/simulators";
import { parse, stringify } from "yaml";
import { type DemoNodeSpec, type demoPaths, readerConfig } from "./site-layout.js";

/** The counter's supervisor in the demo; the PIN is printed so that anyone can try an override. */
export const DEMO_SUPERVISOR = { id: "chef", name: "Claire", pin: "246813" };
/** The counter's clerk in the demo: the simulated till signs in as them, and so can a person. */
export const DEMO_CLERK = { id: "clerk-1", name: "Léa", pin: "135790" };

/**
 * A fresh token for the demo's simulated terminals on a node (a new one each
 * run, the previous one revoked), as `comptoir node token create` makes one.
 */
export function demoTerminalToken(dataDir: string): string {
  const tokens = new TerminalTokens(terminalTokensPath(dataDir));
  tokens.revoke("demo-simulator");
  return tokens.create("demo-simulator", "admin");
}

export interface SiteNodeTarget {
  /** The gateway's API with a token allowed to enroll nodes. */
  api: JsonApi;
  mqttUrl: string;
  /** With a TLS broker, the PEM the nodes pin (mqtt.ca). */
  mqttCa?: string;
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
    // The gateway's locale applies once heard; the node's own, the same, before.
    node: {
      id: spec.id,
      site: options.site,
      role: spec.role,
      dataDir: "./data",
      locale: "fr-FR",
      currency: "EUR",
      timeZone: "Europe/Paris",
    },
    readers: [readerConfig(spec, readerUrl)],
    mqtt: { url: options.mqttUrl, ...mqtt, ...(options.mqttCa ? { ca: options.mqttCa } : {}) },
    // The counter's POS page is opened in a browser on this machine: kiosk mode, said explicitly.
    http: { listen: "127.0.0.1:0", ...(spec.role === "counter" ? { kiosk: true } : {}) },
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
            clerks: [
              { id: DEMO_CLERK.id, name: DEMO_CLERK.name, pinHash: await hashPin(DEMO_CLERK.pin) },
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
