import { type Logger, silentLogger } from "@comptoir/contracts";
import { limitBody, notFound, requireJsonBody } from "@comptoir/contracts/http";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { NodeApi } from "../node/api.js";
import type { PosService } from "../pos/service.js";
import { allowedHostNames, hostCheck } from "./auth/host-check.js";
import { terminalAuth } from "./auth/terminal-auth.js";
import { TerminalTokens } from "./auth/terminal-tokens.js";
import { createSerial, type RouteDeps } from "./context.js";
import { Refusal, sendError } from "./errors.js";
import { dockRoutes } from "./routes/dock.js";
import { eventRoutes } from "./routes/events.js";
import { healthRoutes } from "./routes/health.js";
import { pageRoutes } from "./routes/pages.js";
import { posPageRoutes, posRoutes } from "./routes/pos.js";
import { type CatalogSource, productRoutes } from "./routes/products.js";
import { stationRoutes } from "./routes/station.js";
import { stockRoutes } from "./routes/stock.js";
import { tagRoutes } from "./routes/tags.js";
import { StreamSlots } from "./sse-pump.js";

export interface NodeAppOptions {
  logger?: Logger;
  /** Largest request body accepted, in bytes (413 beyond). Default 64 KiB. */
  maxBodyBytes?: number;
  /** Offer station actions (move, assign, cycle count). Default: on station nodes only. */
  stationActions?: boolean;
  /** Milliseconds between keep-alive comments on the event stream. Default 15 s. */
  heartbeatMs?: number;
  /** Event streams (SSE) open at once (`http.maxEventStreams`); beyond, 503. Default 16. */
  maxEventStreams?: number;
  /** Counter nodes: the POS, served under /api/v1/pos and at /pos (and at `/`, the counter's home). */
  pos?: PosService;
  /** The catalog the pages name products from. Default: the POS's cached catalog, else none. */
  catalog?: CatalogSource;
  /** The terminal tokens /api/v1 accepts. Default: none (every API request is refused 401). */
  tokens?: TerminalTokens;
  /** Kiosk mode (`http.kiosk`): a browser on this machine needs no terminal token. */
  kiosk?: boolean;
  /** Host names besides the built-in ones (`http.allowedHosts`), and the host the server listens on. */
  allowedHosts?: readonly string[];
  listenHost?: string;
}

export const DEFAULT_MAX_EVENT_STREAMS = 16;

/**
 * The node's local HTTP API and pages over a NodeApi. Every input is
 * parsed with zod at the edge; every error answers
 * `{ error: { code, message, path? } }`; a refused request changes nothing.
 */
export function createNodeApp(api: NodeApi, options: NodeAppOptions = {}): Hono {
  const log = (options.logger ?? silentLogger).child({ module: "http" });
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const deps: RouteDeps = {
    api,
    log,
    stationActions: options.stationActions ?? api.role === "station",
    heartbeatMs: options.heartbeatMs ?? 15_000,
    streams: new StreamSlots(options.maxEventStreams ?? DEFAULT_MAX_EVENT_STREAMS),
    serial: createSerial(),
  };

  const v1 = new Hono()
    .use(
      terminalAuth({
        tokens: options.tokens ?? new TerminalTokens(),
        kiosk: options.kiosk ? (api.role === "counter" ? "counter" : "station") : undefined,
      }),
    )
    .use(limitBody(maxBodyBytes, "send fewer items per request"))
    .use(requireJsonBody({ methods: ["POST", "PUT"] }))
    .route("/", stockRoutes(deps))
    .route("/", tagRoutes(deps))
    .route("/", dockRoutes(deps))
    .route("/", productRoutes(options.catalog ?? (() => options.pos?.catalog() ?? null)))
    .route("/", stationRoutes(deps))
    .route("/", eventRoutes(deps));
  if (options.pos) v1.route("/", posRoutes(deps, options.pos));

  const app = new Hono();
  // /health stays open to monitors by any name: it tells nothing a terminal could misuse.
  app.route("/", healthRoutes(deps));
  app.use(hostCheck(allowedHostNames(options.listenHost, options.allowedHosts ?? [])));
  app.route("/api/v1", v1);
  if (options.pos) app.route("/", posPageRoutes());
  app.route("/", pageRoutes(deps, { pos: options.pos !== undefined }));

  app.notFound(notFound);
  app.onError((error, c) => {
    if (error instanceof Refusal) return c.json(error.body(), 422);
    if (error instanceof HTTPException) {
      const status = error.status === 413 ? 413 : error.status;
      const code =
        status === 400 ? "invalid_input" : status === 413 ? "body_too_large" : "http_error";
      return c.json({ error: { code, message: error.message || `HTTP ${status}` } }, status);
    }
    log.error({ err: error, method: c.req.method, path: c.req.path }, "request failed");
    const detail = error instanceof Error ? error.message : String(error);
    return sendError(
      c,
      500,
      "internal",
      `the node could not complete this request: ${detail} — see the node's log`,
    );
  });
  return app;
}
