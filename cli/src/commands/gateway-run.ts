import { existsSync } from "node:fs";
import { createLogger, stripUserinfo } from "@comptoir/contracts";
import { GatewayConfigSchema, loadConfigFile, resolveFromConfig } from "@comptoir/firmware-config";
import {
  BrokerListenError,
  GatewayCore,
  GatewayLedgerBrokenError,
  siteCaPaths,
  TlsConfigError,
  WebhookConfigError,
} from "@comptoir/gateway";
import { CliError, type Command, requireOption } from "../command.js";
import { ServiceNotifier } from "../systemd/notify.js";

export const gatewayRun: Command = {
  name: "gateway",
  summary: "run a gateway: broker, verified ingest of every node's ledger, the site's store",
  usage: "--config FILE",
  help: `Runs until SIGTERM or Ctrl-C. Starts the embedded MQTT broker (mqtt.embedded.host/port),
or connects to an external one when mqtt.url is set. Creates the gateway's identity key and its
SQLite store in gateway.dataDir (relative to the config file) at first start, and serves the
HTTP API, the live feed (/ws) and the dashboard on http.listen. At first start an admin API
token is created and written to gateway.dataDir/admin-token (mode 0600); its path is printed.
Off loopback the broker and API speak TLS (mqtts, https) unless tls.allowPlaintext: with tls.cert
and tls.key, or a site CA created at first start in gateway.dataDir/tls (ca.pem: nodes pin it).
Under systemd (Type=notify, NOTIFY_SOCKET set) it says READY=1 once the store and its ledger
are verified and the broker and API listen, then pings the watchdog (WatchdogSec); see
docs/systemd.md and firmware-config/systemd/comptoir-gateway.service.`,
  options: { config: { type: "string", short: "c" } },
  async run({ values, io }) {
    const file = requireOption(values, "config");
    const { config, warnings } = loadConfigFile(file, GatewayConfigSchema, io.env);
    const logger = createLogger({ level: config.log.level, name: "comptoir-gateway" });
    for (const warning of warnings) logger.warn(warning);
    const dataDir = resolveFromConfig(file, config.gateway.dataDir);
    // Under systemd (Type=notify): READY, status lines, watchdog pings; nothing otherwise.
    const systemd = new ServiceNotifier({ env: io.env, logger });
    systemd.status("starting: opening the store, verifying its ledger, starting the broker");
    let gateway: GatewayCore;
    try {
      gateway = await GatewayCore.start({ config, dataDir, logger });
    } catch (error) {
      if (
        error instanceof BrokerListenError ||
        error instanceof GatewayLedgerBrokenError ||
        error instanceof TlsConfigError ||
        error instanceof WebhookConfigError ||
        (error instanceof Error && error.message.startsWith("cannot serve the gateway API"))
      )
        throw new CliError(error.message);
      throw error;
    }
    io.stdout.write(
      `gateway for site ${config.gateway.site} running\n` +
        `  dashboard and API  ${gateway.url}/  (API under ${gateway.url}/api/v1)\n` +
        `  MQTT               ${stripUserinfo(gateway.mqttUrl)}\n`,
    );
    // What an installer copies to each node (mqtt.ca); the enrollment answer carries it too.
    const siteCa = siteCaPaths(dataDir).caCert;
    if (gateway.brokerCa && config.tls.cert === undefined && existsSync(siteCa))
      io.stdout.write(`  site CA            ${siteCa}  (nodes pin it: their mqtt.ca)\n`);
    // The path, never the token: stdout ends up in the journal.
    if (gateway.firstAdminTokenFile) {
      io.stdout.write(
        `  admin token file   ${gateway.firstAdminTokenFile}\n` +
          "  (readable by this user only: copy the token somewhere safe, then delete the file; `comptoir token create` makes more)\n",
      );
    }
    // GatewayCore.start resolved: store open and its ledger verified, broker and API listening.
    systemd.ready(`ready; API at ${gateway.url}, MQTT at ${stripUserinfo(gateway.mqttUrl)}`);
    const signal = await io.waitForStop();
    logger.info({ signal }, "stopping");
    systemd.stopping(`stopping (${signal}): broker, API, store`);
    await gateway.stop();
    await systemd.close();
    return 0;
  },
};
