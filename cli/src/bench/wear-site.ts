import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createIdentity } from "@comptoir/contracts";
import { hashPin, TerminalTokens, terminalTokensPath } from "@comptoir/device";
import { enrollWithCredentials, type GatewayCore } from "@comptoir/gateway";
import { parseScenario, type SimulatorServer, serveSimulatedReader } from "@comptoir/simulators";
import { writeShelfNodeConfig } from "./shelf-node-config.js";

/** The shelf's load: 5 cases put on a bay every second, each picked 4 s later. */
const ARRIVALS_PER_SECOND = 5;
const STAY_MS = 4000;
/** Cases that stay on the shelf the whole run: reads with no movement, as on a real shelf. */
const RESIDENT = 2000;
const BAYS = ["shelf-a1", "shelf-a2", "shelf-a3", "shelf-a4"];
const GTIN = "04012345123456";

/**
 * About 10 movements a second once the first cases leave (5 put away, 5
 * picked), next to 2 000 resident cases read once a second (a full shelf).
 * One population a second: `seconds` must stay under 96 (the simulator's cap is 100).
 */
export function shelfScenario(seconds: number) {
  return parseScenario({
    name: "shelf at 10 movements/s",
    populations: [
      // Each in one bay (a population's reads go round its antennas: it would hop bays).
      ...BAYS.map((_, bay) => ({
        count: RESIDENT / BAYS.length,
        gtin: GTIN,
        firstSerial: 1 + bay * 1000,
        antennas: [bay + 1],
        rate: 1,
        rssi: -60,
      })),
      ...Array.from({ length: seconds }, (_, k) => ({
        count: ARRIVALS_PER_SECOND,
        gtin: GTIN,
        firstSerial: 100_000 + k * 100,
        antennas: [(k % BAYS.length) + 1],
        from: k * 1000,
        to: k * 1000 + STAY_MS,
        rate: 4,
        rssi: -55,
      })),
    ],
  });
}

/** A `comptoir node` process: its pid, local API, and the bytes of logs it printed. */
export interface WearNode {
  child: ChildProcess;
  pid: number;
  url: string;
  dataDir: string;
  /** Bytes the process wrote to stdout and stderr so far (its logs: the journal's, not its own writes). */
  logBytes(): number;
  stop(): Promise<void>;
}

/** Starts `comptoir node --config FILE` from `entry` and waits for its local API. */
export async function startWearNode(
  entry: string,
  config: string,
  dataDir: string,
): Promise<WearNode> {
  const child = spawn(process.execPath, [entry, "node", "--config", config], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let logBytes = 0;
  child.stderr?.on("data", (chunk: Buffer) => {
    logBytes += chunk.length;
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      logBytes += chunk.length;
      stdout += chunk.toString();
      const found = /local API at (\S+)/.exec(stdout)?.[1];
      if (found) resolve(found);
    });
    void exited.then(() => reject(new Error(`comptoir node exited before it started:\n${stderr}`)));
  });
  if (child.pid === undefined) throw new Error("comptoir node has no pid");
  return {
    child,
    pid: child.pid,
    url,
    dataDir,
    logBytes: () => logBytes,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A shelf node's config: a simulated ThingMagic reader, one antenna a bay,
 * logs at info; `groupCommitMs` when the ledger's commit window is not the default.
 */
export async function shelfConfig(
  gateway: GatewayCore,
  setup: { site: string; node: string; nodeDir: string; reader: SimulatorServer },
  groupCommitMs?: number,
): Promise<string> {
  return writeShelfNodeConfig({
    gateway,
    nodeDir: setup.nodeDir,
    node: setup.node,
    site: setup.site,
    reader: { id: "aisle-a", url: setup.reader.url },
    bays: BAYS,
    // Resident cases are read once a second: a glimpse waits 2.5 s for its second read, and a
    // case is picked after 3 s without one. Logs as deployed (info).
    extra: {
      smoothing: { glimpsedTimeoutMs: 2500, lostTimeoutMs: 3000 },
      log: { level: "info" },
      ...(groupCommitMs === undefined ? {} : { ledger: { groupCommitMs } }),
    },
  });
}

const CLERK = { id: "wear", name: "Bench clerk", pin: "246810" };

/** The product the counter sells, by quantity: the catalog reaches the node from the gateway. */
export const PRODUCT = { sku: "CHAIR", name: "Oak chair", price: 15_000 };

/**
 * A counter node enrolled at the gateway, with a reader on the counter
 * (a few tags lying there) and its till's terminal token. Returns the config
 * path and the token.
 */
export async function counterConfig(
  gateway: GatewayCore,
  site: string,
  nodeDir: string,
): Promise<{ config: string; token: string; reader: SimulatorServer }> {
  const dataDir = join(nodeDir, "data");
  await mkdir(dataDir, { recursive: true });
  const identity = await createIdentity(dataDir);
  const { mqtt } = enrollWithCredentials(
    gateway.store,
    gateway.credentials,
    "wear-counter",
    identity.publicKeyHex,
  );
  const reader = await serveSimulatedReader({
    protocol: "thingmagic",
    scenario: parseScenario({
      populations: [{ count: 5, gtin: GTIN, firstSerial: 900_000, antennas: [1], rate: 4 }],
    }),
    rate: 1000,
  });
  const config = join(nodeDir, "node.json");
  await writeFile(
    config,
    JSON.stringify({
      node: { id: "wear-counter", site, role: "counter", dataDir: "./data" },
      readers: [
        {
          id: "till",
          protocol: "thingmagic",
          url: reader.url,
          antennas: [{ port: 1, zone: "counter" }],
        },
      ],
      mqtt: {
        url: gateway.mqttUrl,
        ...mqtt,
        ...(gateway.brokerCa ? { ca: gateway.brokerCa } : {}),
      },
      http: { listen: "127.0.0.1:0" },
      pos: { clerks: [{ id: CLERK.id, name: CLERK.name, pinHash: await hashPin(CLERK.pin) }] },
      log: { level: "info" },
    }),
  );
  const token = new TerminalTokens(terminalTokensPath(dataDir)).create("wear", "counter");
  return { config, token, reader };
}

/** The till: signs the clerk in, waits for the catalog, then sells one chair for cash per call. */
export async function till(url: string, token: string) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
  };
  const signIn = await fetch(`${url}/api/v1/pos/clerk/sign-in`, {
    method: "POST",
    headers,
    body: JSON.stringify({ clerk: CLERK.id, pin: CLERK.pin }),
  });
  if (!signIn.ok) throw new Error(`the bench clerk could not sign in: ${await signIn.text()}`);
  headers["x-clerk-session"] = ((await signIn.json()) as { session: string }).session;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await fetch(`${url}/api/v1/pos/status`, { headers });
    const body = (await status.json()) as { catalog?: { version?: number } };
    if (status.ok && (body.catalog?.version ?? 0) >= 1) break;
    if (Date.now() > deadline) throw new Error("the counter never received the catalog");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return async function sell(): Promise<void> {
    const response = await fetch(`${url}/api/v1/pos/sale`, {
      method: "POST",
      headers,
      body: JSON.stringify({ payment: "cash", lines: [{ sku: PRODUCT.sku, quantity: 1 }] }),
    });
    if (response.status !== 201)
      throw new Error(`POST /pos/sale answered ${response.status}: ${await response.text()}`);
  };
}
