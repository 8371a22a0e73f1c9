import { existsSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import type { Logger } from "@comptoir/contracts";
import { GatewayConfigSchema, loadConfigFile, resolveFromConfig } from "@comptoir/firmware-config";
import { GatewayCore, TokenStore } from "@comptoir/gateway";
import { DEMO_SITE, type demoPaths } from "./site-layout.js";
import { writeYaml } from "./site-node.js";

/** The demo's gateway: its config written at first start, then started on the demo's port (or a free one). */
export async function startGateway(
  paths: ReturnType<typeof demoPaths>,
  options: { httpPort: number },
  logger: Logger,
  say: (line: string) => void,
): Promise<GatewayCore> {
  if (!existsSync(paths.gatewayConfig)) {
    await writeYaml(paths.gatewayConfig, {
      // A French wholesaler: money and dates as the site reads them ("1 487,00 €"); nodes follow.
      gateway: { site: DEMO_SITE, dataDir: "./data", locale: "fr-FR", timeZone: "Europe/Paris" },
      credit: { currency: "EUR" },
      // Nodes run in this process and are told the port: any free one will do. MQTT over TLS
      // with the site CA, as on a real site; the dashboard stays plain HTTP on loopback for a browser.
      mqtt: { embedded: { host: "127.0.0.1", port: 0, tls: true } },
      http: { listen: `127.0.0.1:${options.httpPort}` },
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
  const start = (port: number) =>
    GatewayCore.start({ config, dataDir, logger, listen: { host: "127.0.0.1", port } });
  try {
    return await start(options.httpPort);
  } catch (error) {
    if (!(error instanceof Error) || !/port is in use/.test(error.message)) throw error;
    say(`port ${options.httpPort} is taken; the dashboard takes a free port instead`);
    return start(0);
  }
}

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
