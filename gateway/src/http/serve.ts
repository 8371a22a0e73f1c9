import type { Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Gauge, Registry } from "prom-client";
import { createGatewayApp, resolveDeps } from "./app.js";
import type { GatewayHttpDeps } from "./context.js";
import { nodeView } from "./routes/nodes.js";
import { attachLiveFeed, type LiveFeed } from "./ws.js";

export interface GatewayServer {
  server: Server;
  /** The address actually bound: with port 0, the port the system chose. */
  address: { host: string; port: number };
  /** `http://host:port` (`https://` with TLS), IPv6 hosts in brackets. */
  url: string;
  live: LiveFeed;
  /** Closes the live feed and open connections; resolves when the server is closed. */
  close(): Promise<void>;
}

export interface ServeOptions {
  host: string;
  /** 0: an ephemeral port. */
  port: number;
  /** Live feed: seconds a client has to send its token. */
  authTimeoutMs?: number;
  /** PEM key and certificate: serve HTTPS (and wss:// for the live feed). Plain HTTP without. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Live feed caps (`http.live` in the config). */
  live?: { maxClients?: number; recheckMs?: number };
  /** Timeouts and the connection cap (`http.limits` in the config). */
  limits?: Partial<HttpServerLimits>;
}

/**
 * What one client may hold of the server: a slow client (slowloris) is cut
 * once its headers or its whole request take too long, an idle keep-alive
 * connection is closed, and connections beyond the cap are dropped.
 */
export interface HttpServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 512,
};

/**
 * Serves the API on host:port and the live feed on /ws of the same server.
 * Resolves once listening; rejects with an actionable message when it cannot.
 */
export async function serveGateway(
  input: GatewayHttpDeps,
  options: ServeOptions,
): Promise<GatewayServer> {
  const registry = new Registry();
  const deps = resolveDeps({ ...input, registry });
  const app = createGatewayApp({ ...deps, ...{ maxBodyBytes: input.maxBodyBytes } });
  const server = createAdaptorServer({
    fetch: app.fetch,
    hostname: options.host,
    port: options.port,
    ...(options.tls
      ? {
          createServer: createHttpsServer,
          serverOptions: { key: options.tls.key, cert: options.tls.cert },
        }
      : {}),
  }) as Server;
  applyLimits(server, { ...DEFAULT_HTTP_LIMITS, ...options.limits });
  const live = attachLiveFeed(server, {
    tokens: deps.tokens,
    events: deps.events,
    logger: input.logger,
    ...(options.authTimeoutMs ? { authTimeoutMs: options.authTimeoutMs } : {}),
    ...options.live,
    snapshot: () => ({
      stock: deps.store.stock(),
      nodes: deps.store.nodes().map((node) => nodeView(node, deps.nodeStatus(node.id))),
    }),
  });
  new Gauge({
    name: "comptoir_live_clients",
    help: "WebSocket live-feed clients connected",
    registers: [registry],
    collect() {
      this.set(live.clients());
    },
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      const where = `${options.host}:${options.port}`;
      const why =
        error.code === "EADDRINUSE"
          ? "the port is in use — stop the other process or choose another port in http.listen"
          : error.code === "EACCES"
            ? "permission denied — use a port above 1023"
            : error.code === "EADDRNOTAVAIL"
              ? "this machine has no such address — use 127.0.0.1, 0.0.0.0 or one of its own"
              : error.message;
      reject(new Error(`cannot serve the gateway API on ${where}: ${why}`, { cause: error }));
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(options.port, options.host);
  }).catch(async (error: unknown) => {
    await live.close();
    throw error;
  });
  const bound = server.address() as AddressInfo;
  const address = { host: bound.address, port: bound.port };
  const shown = address.host.includes(":") ? `[${address.host}]` : address.host;
  return {
    server,
    address,
    url: `${options.tls ? "https" : "http"}://${shown}:${address.port}`,
    live,
    close: async () => {
      await live.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}

function applyLimits(server: Server, limits: HttpServerLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // Node checks those timeouts every 30 s by default: a slow client would get up to 30 s more.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.min(1000, limits.headersTimeoutMs);
}
