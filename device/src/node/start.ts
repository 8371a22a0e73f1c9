import { join } from "node:path";
import { type Logger, silentLogger } from "@comptoir/contracts";
import packageJson from "../../package.json" with { type: "json" };
import { createNodeApp } from "../http/app.js";
import { type NodeServer, serveNodeApp } from "../http/serve.js";
import { applyRetention } from "../sync/retention.js";
import { LedgerSync } from "../sync/sync.js";
import { NodeRuntime, type NodeRuntimeOptions } from "./runtime.js";

export interface RunningNode {
  runtime: NodeRuntime;
  sync: LedgerSync;
  http: NodeServer;
  /** The local API and pages. */
  url: string;
  /** SIGTERM: stop readers, flush the ledger, publish offline, close. */
  stop(): Promise<void>;
}

/** Starts a whole node: runtime (readers, movements, ledger, stock), sync to the gateway, local HTTP. */
export async function startNode(options: NodeRuntimeOptions): Promise<RunningNode> {
  const { config, dataDir } = options;
  const logger = options.logger ?? silentLogger;
  const runtime = await NodeRuntime.start(options);
  let sync: LedgerSync | undefined;
  let http: NodeServer | undefined;
  let retention: NodeJS.Timeout | undefined;
  const ledgerDir = config.ledger.dir ?? join(dataDir, "ledger");
  try {
    sync = await LedgerSync.start({
      node: config.node.id,
      site: config.node.site,
      version: packageJson.version,
      mqtt: config.mqtt,
      ledger: runtime.ledger,
      ledgerDir,
      dataDir,
      readers: () =>
        runtime.readers.map((reader) => ({
          id: reader.id,
          state: reader.state,
          ...(reader.detail ? { detail: reader.detail } : {}),
        })),
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const running = sync;
    runtime.onRecorded = () => running.wake();
    runtime.moreHealth = () => ({
      sync: {
        ok: running.connected,
        detail: running.connected
          ? `acknowledged up to seq ${running.ackedSeq}`
          : "not connected to the broker",
      },
    });
    running.on("command", (command) => {
      if (command.type === "dock-order")
        runtime.setDockOrder({ order: command.order, customer: command.customer });
    });
    for (const reader of runtime.readers) reader.on("state", () => running.publishStatus());
    http = await serveNodeApp(createNodeApp(runtime, { logger }), config.http.listen);
    if (config.ledger.maxBytes)
      retention = keepWithin(config.ledger.maxBytes, runtime, running, logger, ledgerDir);
  } catch (error) {
    await sync?.close();
    await runtime.stop();
    throw error;
  }
  const server = http;
  const started = sync;
  return {
    runtime,
    sync: started,
    http: server,
    url: server.url,
    async stop() {
      clearInterval(retention);
      await server.close();
      await runtime.stop();
      await started.close();
    },
  };
}

/** Every minute, removes what the gateway stored beyond the disk budget (never what it has not). */
function keepWithin(
  maxBytes: number,
  runtime: NodeRuntime,
  sync: LedgerSync,
  logger: Logger,
  dir: string,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    applyRetention({ dir, ackedSeq: sync.ackedSeq, maxBytes, logger })
      .then((result) => (result.deleted.length > 0 ? runtime.ledger.refreshSegments() : undefined))
      .catch((error: unknown) => logger.error({ err: error }, "ledger retention failed"));
  }, 60_000);
  timer.unref();
  return timer;
}
