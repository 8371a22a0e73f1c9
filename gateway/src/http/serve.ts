import type { Server } from "node:http";
import {
  closeServer,
  createFetchServer,
  listen,
  type ServerTls,
  urlOf,
} from "@comptoir/contracts/http";
import { loadDashboardAssets } from "@comptoir/dashboard";
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
  tls?: ServerTls;
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
  // The dashboard's bundle (embedded, cached, or built now): a build error stops the start, not a page load.
  await loadDashboardAssets();
  const registry = new Registry();
  const deps = resolveDeps({ ...input, registry });
  const app = createGatewayApp({ ...deps, ...{ maxBodyBytes: input.maxBodyBytes } });
  const server = createFetchServer(app.fetch, options.host, options.port, options.tls);
  applyLimits(server, { ...DEFAULT_HTTP_LIMITS, ...options.limits });
  const live = attachLiveFeed(server, {
    tokens: deps.tokens,
    events: deps.events,
    logger: input.logger,
    ...(options.authTimeoutMs ? { authTimeoutMs: options.authTimeoutMs } : {}),
    ...options.live,
    snapshot: () => ({
      stock: deps.store.stock(),
      nodes: deps.store
        .nodes()
        .map((node) => nodeView(node, deps.nodeStatus(node.id), deps.nodeClock(node.id))),
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
  const where = `${options.host}:${options.port}`;
  const address = await listen(
    server,
    options.host,
    options.port,
    `cannot serve the gateway API on ${where}`,
  ).catch(async (error: unknown) => {
    await live.close();
    throw error;
  });
  return {
    server,
    address,
    url: urlOf(address, options.tls !== undefined),
    live,
    close: async () => {
      await live.close();
      await closeServer(server);
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
