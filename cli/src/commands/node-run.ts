import { createLogger, IdentityMissingError } from "@comptoir/contracts";
import { startNode } from "@comptoir/device";
import { loadConfigFile, NodeConfigSchema, resolveFromConfig } from "@comptoir/firmware-config";
import { CliError, type Command, requireOption } from "../command.js";
import { announceNodeReady } from "../systemd/node-readiness.js";
import { ServiceNotifier } from "../systemd/notify.js";

export const nodeRun: Command = {
  name: "node",
  summary: "run a node: readers, movements, ledger, stock, sync and the local API",
  usage: "--config FILE",
  help: `Runs until SIGTERM or Ctrl-C, then stops the readers, flushes the ledger,
publishes "offline" and exits 0. Create the node's identity first with
"comptoir node init --config FILE". Logs are JSON on stderr (log.level).
Under systemd (Type=notify, NOTIFY_SOCKET set) it says READY=1 once the ledger is verified,
the API listens and each reader reads or is degraded, then pings the watchdog (WatchdogSec);
see docs/systemd.md and firmware-config/systemd/comptoir-node.service.`,
  options: { config: { type: "string", short: "c" } },
  async run({ values, io }) {
    const file = requireOption(values, "config");
    const { config, warnings } = loadConfigFile(file, NodeConfigSchema, io.env);
    const logger = createLogger({
      level: config.log.level,
      name: `comptoir-node:${config.node.id}`,
    });
    for (const warning of warnings) logger.warn(warning);
    const dataDir = resolveFromConfig(file, config.node.dataDir);
    // Under systemd (Type=notify): READY, status lines, watchdog pings; nothing otherwise.
    const systemd = new ServiceNotifier({ env: io.env, logger });
    systemd.status("starting: verifying the ledger, opening readers");
    let node: Awaited<ReturnType<typeof startNode>>;
    try {
      // Paths in the config are relative to the config file, as for node.dataDir (and as
      // `comptoir node new-epoch` reads ledger.dir), not to where the command runs.
      const ledger = config.ledger.dir
        ? { ...config.ledger, dir: resolveFromConfig(file, config.ledger.dir) }
        : config.ledger;
      node = await startNode({ config: { ...config, ledger }, dataDir, logger });
    } catch (error) {
      if (error instanceof IdentityMissingError) throw new CliError(error.message);
      throw error;
    }
    io.stdout.write(`node ${config.node.id} running; local API at ${node.url}\n`);
    // Listening from here on: a SIGTERM while readers still start stops the node cleanly.
    const stopped = io.waitForStop();
    await announceNodeReady(node, systemd, stopped);
    const signal = await stopped;
    logger.info({ signal }, "stopping");
    systemd.stopping(`stopping (${signal}): readers, ledger, offline`);
    await node.stop();
    await systemd.close();
    return 0;
  },
};
