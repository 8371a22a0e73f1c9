import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createIdentity } from "@comptoir/contracts";
import { TerminalTokens, terminalTokensPath } from "@comptoir/device";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore } from "@comptoir/gateway";
import {
  type ErpReceiver,
  JsonApi,
  LiveField,
  type SimulatorServer,
  serveErpReceiver,
  serveSimulatedReader,
} from "@comptoir/simulators";
import { stringify } from "yaml";
import { DEMO_NODES } from "../demo/site-layout.js";
import { ERP_SUBSCRIPTION } from "./compare-webhooks.js";

/**
 * The demo's dock-door portal and shelf (a counter is left out: the key has
 * no counter sales). A pass through the door ends after 1.5 s without a
 * read instead of the default 3 s: the plan moves thousands of items, and a
 * busy test machine may still pause a node for most of a second.
 */
const NODES = DEMO_NODES.filter((spec) => spec.id === "dock-1" || spec.id === "shelf-1").map(
  (spec) => (spec.role === "portal" ? { ...spec, smoothing: { lostTimeoutMs: 1500 } } : spec),
);

export type NodeId = "dock-1" | "shelf-1";

export interface RunningSite {
  gateway: GatewayCore;
  /** The gateway's API with an admin token. */
  api: JsonApi;
  /** Each node's local API. */
  nodes: Record<NodeId, JsonApi>;
  fields: Record<NodeId, LiveField>;
  /** The ERP's end of the gateway's webhooks: every event, signed, once. */
  erp: ErpReceiver;
  stop(): Promise<void>;
}

export interface SiteOptions {
  /** Where the gateway and the nodes keep their data (a fresh folder). */
  root: string;
  /** The command that starts a node process: the `comptoir` entry point (bin or bundle). */
  entry: string;
  say?: (line: string) => void;
}

/**
 * A whole site on this machine, nothing written behind the system's back:
 * the gateway (embedded broker, SQLite, HTTP API) in this process; each node
 * a `comptoir node` process of its own, enrolled over the API like an
 * installer would, reading a simulated reader over TCP that speaks its real
 * byte protocol, and syncing its ledger to the gateway over MQTT.
 */
export async function startSite(options: SiteOptions): Promise<RunningSite> {
  const stack: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stack.splice(0).reverse()) await step().catch(() => {});
  };
  try {
    const secret = randomBytes(24).toString("hex");
    const erp = await serveErpReceiver({ secret });
    stack.push(() => erp.close());
    const gateway = await GatewayCore.start({
      config: GatewayConfigSchema.parse({
        gateway: { site: "key" },
        webhooks: {
          subscriptions: [{ id: ERP_SUBSCRIPTION, url: erp.url, secret, events: ["*"] }],
          delivery: { pollMs: 200 },
        },
        // Over TLS: the gateway makes its site CA, the node pins it from the enrollment answer.
        mqtt: { embedded: { port: 0, tls: true } },
        http: { listen: "127.0.0.1:0" },
        log: { level: "warn" },
      }),
      dataDir: join(options.root, "gateway"),
    });
    stack.push(() => gateway.stop());
    const api = new JsonApi(`${gateway.url}/api/v1`, gateway.firstAdminToken);
    const nodes = {} as Record<NodeId, JsonApi>;
    const fields = {} as Record<NodeId, LiveField>;
    for (const spec of NODES) {
      const field = new LiveField();
      const reader: SimulatorServer = await serveSimulatedReader({
        protocol: spec.protocol,
        field,
        rate: 2000,
      });
      stack.push(() => reader.close());
      const dir = join(options.root, spec.id);
      const identity = await createIdentity(join(dir, "data"));
      const enrolled = await api.post<{ mqtt: { username: string; password: string } }>("/nodes", {
        id: spec.id,
        publicKey: identity.publicKeyHex,
      });
      const config = join(dir, "node.yaml");
      await mkdir(dir, { recursive: true });
      await writeFile(
        config,
        stringify({
          node: { id: spec.id, site: "key", role: spec.role, dataDir: "./data" },
          readers: [
            { id: spec.reader, protocol: spec.protocol, url: reader.url, antennas: spec.antennas },
          ],
          mqtt: { url: gateway.mqttUrl, ...enrolled.mqtt },
          http: { listen: "127.0.0.1:0" },
          ...(spec.smoothing ? { smoothing: spec.smoothing } : {}),
          log: { level: "warn" },
        }),
        { mode: 0o600 },
      );
      const node = await startNodeProcess(options.entry, config, options.say);
      stack.push(() => node.stop());
      // The driver is a terminal of each node, with a token as `comptoir node token create` issues.
      const token = new TerminalTokens(terminalTokensPath(join(dir, "data"))).create(
        "answer-key",
        "admin",
      );
      nodes[spec.id as NodeId] = new JsonApi(node.url, token);
      fields[spec.id as NodeId] = field;
    }
    return { gateway, api, nodes, fields, erp, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Starts `comptoir node --config FILE` and waits for the URL of its local API. */
async function startNodeProcess(
  entry: string,
  config: string,
  say?: (line: string) => void,
): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [entry, "node", "--config", config], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    for (const line of chunk.toString().split("\n")) if (line.trim()) say?.(`node: ${line}`);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const found = /local API at (\S+)/.exec(out);
      if (found) resolve(found[1] as string);
    });
    exited.then((code) => reject(new Error(`node ${config} exited with ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`node ${config} did not start in 60 s: ${stderr}`)), 60_000);
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
