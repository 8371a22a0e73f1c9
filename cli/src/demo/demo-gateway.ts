import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Logger } from "@comptoir/contracts";
import { GatewayConfigSchema, loadConfigFile, resolveFromConfig } from "@comptoir/firmware-config";
import { GatewayCore, TokenStore } from "@comptoir/gateway";
import { type ErpReceiver, serveErpReceiver } from "@comptoir/simulators";
import { DEMO_SITE, type demoPaths } from "./site-layout.js";
import { writeYaml } from "./site-node.js";

/**
 * The demo's gateway: its config written at first start, then started on
 * the demo's port (or a free one), with the simulated ERP that receives its
 * webhooks (each event appended to `erp/webhooks.jsonl`).
 */
export async function startGateway(
  paths: ReturnType<typeof demoPaths>,
  options: { httpPort: number },
  logger: Logger,
  say: (line: string) => void,
): Promise<{ gateway: GatewayCore; erp: ErpReceiver }> {
  if (!existsSync(paths.gatewayConfig)) {
    await writeYaml(paths.gatewayConfig, {
      // A French wholesaler: money and dates as the site reads them ("1 487,00 €"); nodes follow.
      gateway: { site: DEMO_SITE, dataDir: "./data", locale: "fr-FR", timeZone: "Europe/Paris" },
      credit: { currency: "EUR" },
      // Nodes run in this process and are told the port: any free one will do. MQTT over TLS
      // with the site CA, as on a real site; the dashboard stays plain HTTP on loopback for a browser.
      mqtt: { embedded: { host: "127.0.0.1", port: 0, tls: true } },
      http: { listen: `127.0.0.1:${options.httpPort}` },
      // The folder the ERP shares: files to import in inbound/<kind>/, the nightly exports in outbound/.
      // (relative to the data directory, <demo>/gateway/data: <demo>/exchange).
      fileDrop: { directory: "../../exchange" },
      // A wholesaler's floors and reorder rules: the value page and its alerts have something to say.
      analytics: {
        marginFloors: { default: 20, products: { "GLV-PRO": 40 } },
        reorder: {
          rules: [
            { sku: "DRL-18V", min: 4, target: 12, pack: 2 },
            { sku: "BOX-SCR", min: 6, target: 20, pack: 5 },
            { sku: "SAW-CIRC", leadTimeDays: 5, safetyStock: 2, windowDays: 7 },
          ],
        },
      },
    });
  }
  const { config } = loadConfigFile(paths.gatewayConfig, GatewayConfigSchema, {});
  const dataDir = resolveFromConfig(paths.gatewayConfig, config.gateway.dataDir);
  // A demo folder made by an earlier version has no file drop in its config: the same folder.
  config.fileDrop.directory ??= "../../exchange";
  // The simulated ERP listens on a port of this run: its subscription is added here, not in the file.
  await mkdir(dirname(paths.erpJournal), { recursive: true });
  const secret = randomBytes(24).toString("hex");
  const erp = await serveErpReceiver({ secret, journal: paths.erpJournal });
  const subscription = { id: DEMO_ERP, url: erp.url, secret, events: ["*" as const] };
  config.webhooks.subscriptions = [
    ...config.webhooks.subscriptions.filter((other) => other.id !== DEMO_ERP),
    subscription,
  ];
  const start = (port: number) =>
    GatewayCore.start({ config, dataDir, logger, listen: { host: "127.0.0.1", port } });
  try {
    let gateway: GatewayCore;
    try {
      gateway = await start(options.httpPort);
    } catch (error) {
      if (!(error instanceof Error) || !/port is in use/.test(error.message)) throw error;
      say(`port ${options.httpPort} is taken; the dashboard takes a free port instead`);
      gateway = await start(0);
    }
    return { gateway, erp };
  } catch (error) {
    await erp.close();
    throw error;
  }
}

/** The webhook subscription of the demo's simulated ERP. */
export const DEMO_ERP = "demo-erp";

/** The admin token: printed by the gateway at first start, kept for the demo's next runs. */
export async function adminTokenOf(gateway: GatewayCore, file: string): Promise<string> {
  let token = gateway.firstAdminToken;
  if (!token && existsSync(file)) token = (await readFile(file, "utf8")).trim();
  if (!token || !new TokenStore(gateway.store.db, gateway.ledger).authenticate(token)) {
    token = new TokenStore(gateway.store.db, gateway.ledger).create("admin", "demo", {
      kind: "system",
      id: "demo",
    }).token;
  }
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}
