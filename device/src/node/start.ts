import { join } from "node:path";
import {
  type Catalog,
  type ChainIdentity,
  type Logger,
  loadIdentity,
  silentLogger,
} from "@comptoir/contracts";
import { PosConfigSchema, parseListen } from "@comptoir/firmware-config";
import packageJson from "../../package.json" with { type: "json" };
import { createNodeApp } from "../http/app.js";
import { terminalTokensPath } from "../http/auth/paths.js";
import { TerminalTokens } from "../http/auth/terminal-tokens.js";
import { loadNodePageAssets, loadPosAssets } from "../http/pages/bundle.js";
import { type NodeServer, serveNodeApp } from "../http/serve.js";
import { DockRefusal } from "../orders/dock.js";
import { jsonAttemptsFile } from "../pos/attempts-file.js";
import { PosCache } from "../pos/cache.js";
import { ClockSyncWatch, osClockSync } from "../pos/clock-sync.js";
import { PosService } from "../pos/service.js";
import { applyRetention } from "../sync/retention.js";
import { type ChainBroken, LedgerSync } from "../sync/sync.js";
import { NodeRuntime, type NodeRuntimeOptions } from "./runtime.js";

export interface RunningNode {
  runtime: NodeRuntime;
  sync: LedgerSync;
  http: NodeServer;
  /** Counter nodes: the POS (credit cache, basket, sales). */
  pos?: PosService;
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
  let pos: PosService | undefined;
  let posCache: PosCache | undefined;
  const ledgerDir = config.ledger.dir ?? join(dataDir, "ledger");
  const counter = config.node.role === "counter";
  try {
    if (counter) posCache = await PosCache.open(dataDir, runtime.ledger, logger);
    sync = await LedgerSync.start({
      node: config.node.id,
      // The key that signs the ledger's checkpoints also signs every batch sent.
      identity: await loadIdentity(dataDir),
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
      credit: counter,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const running = sync;
    if (posCache) pos = startPos(runtime, running, posCache, options);
    runtime.onRecorded = () => running.wake();
    runtime.moreHealth = () => ({
      sync: {
        ok: running.connected,
        detail: running.connected
          ? `acknowledged up to seq ${running.ackedSeq}`
          : "not connected to the broker",
      },
      // Issue 13, item 16: what the gateway said of this node's chain, until an operator acts.
      ...(running.broken ? { chain: brokenHealth(running.broken) } : {}),
    });
    runtime.online = () => running.connected;
    // Every node keeps the orders' states: the dock refuses held orders from them, offline too.
    running.on("order", (state) => runtime.orderState(state));
    // Every node's pages name products from the catalog the gateway retains; a counter keeps
    // its own durable copy (PosCache), the others the latest received, until the next connect.
    let catalog: Catalog | null = null;
    running.on("catalog", (received) => {
      if (!catalog || received.version >= catalog.version) catalog = received;
    });
    // The site's locale and currency, as the gateway says: pages and verdicts read alike everywhere.
    running.on("locale", (format) => runtime.formats.fromGateway(format));
    running.on("command", (command) => {
      if (command.type === "dock-order") setDockFromGateway(runtime, command, logger);
    });
    for (const reader of runtime.readers) reader.on("state", () => running.publishStatus());
    if (config.http.kiosk)
      logger.warn(
        { listen: config.http.listen },
        "kiosk mode is on (http.kiosk): a browser on this machine uses the API without a terminal token",
      );
    // The pages' scripts and styles are ready before the node answers (a build error stops it here).
    await Promise.all([loadNodePageAssets(), ...(pos ? [loadPosAssets()] : [])]);
    http = await serveNodeApp(
      createNodeApp(runtime, {
        logger,
        ...(pos ? { pos } : {}),
        catalog: () => posCache?.catalog() ?? catalog,
        tokens: new TerminalTokens(terminalTokensPath(dataDir)),
        kiosk: config.http.kiosk,
        allowedHosts: config.http.allowedHosts,
        maxEventStreams: config.http.maxEventStreams,
        listenHost: parseListen(config.http.listen).host,
      }),
      config.http.listen,
    );
    if (config.ledger.maxBytes)
      retention = keepWithin(config.ledger.maxBytes, runtime, running, logger, ledgerDir, {
        chain: config.node.id,
        identity: await loadIdentity(dataDir),
      });
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
    ...(pos ? { pos } : {}),
    url: server.url,
    async stop() {
      clearInterval(retention);
      await server.close();
      await runtime.stop();
      await started.close();
      await posCache?.flush();
    },
  };
}

/** The gateway's `dock-order` command follows the same rules as the local API: a held order is refused. */
function setDockFromGateway(
  runtime: NodeRuntime,
  command: { order: string | null; customer: string | null },
  logger: Logger,
): void {
  try {
    runtime.setDockOrder({ order: command.order, customer: command.customer });
  } catch (error) {
    if (!(error instanceof DockRefusal)) throw error;
    logger.warn(
      { module: "node", order: command.order, code: error.code, reasons: error.reasons },
      `dock order from the gateway refused: ${error.message}`,
    );
  }
}

/** The `chain` part of /health once the gateway said the chain is broken: seq and reason. */
function brokenHealth(broken: ChainBroken): { ok: false; detail: string } {
  const whose =
    broken.scope === "local"
      ? "this node's stored copy no longer matches the gateway's; run comptoir audit verify"
      : "the gateway stores nothing of this chain from there on";
  return { ok: false, detail: `broken at seq ${broken.seq}: ${broken.reason} (${whose})` };
}

/** Counter nodes: the credit cache follows the broker and the acks; the POS decides from it. */
function startPos(
  runtime: NodeRuntime,
  sync: LedgerSync,
  cache: PosCache,
  options: NodeRuntimeOptions,
): PosService {
  const { config } = options;
  // Offline, a till whose clock NTP has not set yet cannot know its credit data's age.
  const clockSync = new ClockSyncWatch(options.clockSync ?? osClockSync(), {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  void clockSync.refresh();
  const pos = new PosService({
    node: runtime,
    cache,
    config: config.pos ?? PosConfigSchema.parse({}),
    online: () => sync.connected,
    clockSync: () => clockSync.current(),
    format: () => runtime.formats.format,
    reader: config.readers[0]?.id ?? "counter",
    attemptsFile: jsonAttemptsFile(
      join(options.dataDir, "pin-attempts.json"),
      options.logger ?? silentLogger,
    ),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  cache.acknowledged(sync.ackedSeq);
  sync.on("acked", (seq) => cache.acknowledged(seq));
  sync.on("credit", (snapshot) => {
    if (cache.putSnapshot(snapshot)) pos.creditChanged(snapshot.customer);
  });
  sync.on("catalog", (catalog) => {
    if (cache.putCatalog(catalog)) pos.basketChanged();
  });
  sync.on("connected", () => pos.linkChanged());
  sync.on("disconnected", () => pos.linkChanged());
  return pos;
}

/** Every minute, removes what the gateway stored beyond the disk budget (never what it has not). */
function keepWithin(
  maxBytes: number,
  runtime: NodeRuntime,
  sync: LedgerSync,
  logger: Logger,
  dir: string,
  signer: { chain: string; identity: ChainIdentity },
): NodeJS.Timeout {
  const { chain, identity } = signer;
  const timer = setInterval(() => {
    // Only what the last ack received covers: it goes into the signed evidence as received.
    const ack = sync.lastAck;
    applyRetention({
      dir,
      ackedSeq: ack?.seq ?? 0,
      ack: ack?.message,
      chain,
      identity,
      maxBytes,
      logger,
    })
      .then((result) => (result.deleted.length > 0 ? runtime.ledger.refreshSegments() : undefined))
      .catch((error: unknown) => logger.error({ err: error }, "ledger retention failed"));
  }, 60_000);
  timer.unref();
  return timer;
}
