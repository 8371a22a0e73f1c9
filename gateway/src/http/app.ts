import { randomUUID } from "node:crypto";
import { type Logger, silentLogger, systemClock } from "@comptoir/contracts";
import { limitBody, notFound, requireJsonBody } from "@comptoir/contracts/http";
import { AnalyticsConfigSchema } from "@comptoir/firmware-config";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Registry } from "prom-client";
import { AnalyticsAlerts } from "../analytics/alerts.js";
import { TokenStore } from "../auth/tokens.js";
import { Catalog } from "../catalog/service.js";
import { CreditService } from "../credit/service.js";
import type { LiveEvents } from "../live/events.js";
import { OrderService } from "../orders/service.js";
import { defaultScheduler } from "../schedules/default-scheduler.js";
import { ValuationService } from "../valuation/service.js";
import type { GatewayEnv, GatewayHttpDeps, RouteDeps } from "./context.js";
import { ApiError, errorBody, sendError } from "./errors.js";
import { createMetrics } from "./metrics.js";
import { dashboardRoutes } from "./routes/dashboard.js";
import { apiRoutes } from "./routes/index.js";

export const API_VERSION = "1.0.0";
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** File imports take their format from the Content-Type (CSV, XML or JSON): the route checks it. */
const FILE_IMPORT = /\/(invoices|payments|orders|customers|products)\/import$/;

const noEvents: LiveEvents = {
  lastId: () => 0,
  since: (id) => (id === 0 ? [] : undefined),
  subscribe: () => () => {},
};

/** The deps with their defaults, shared by the app and the live feed. */
export function resolveDeps(deps: GatewayHttpDeps & { registry?: Registry }): RouteDeps {
  const clock = deps.clock ?? systemClock;
  const logger: Logger = deps.logger ?? silentLogger;
  const catalog =
    deps.catalog ?? deps.credit?.catalog ?? new Catalog(deps.store.db, deps.ledger, { clock });
  const credit =
    deps.credit ?? new CreditService({ store: deps.store, ledger: deps.ledger, catalog, clock });
  const events = deps.events ?? noEvents;
  const base = {
    store: deps.store,
    ledger: deps.ledger,
    tokens: deps.tokens ?? new TokenStore(deps.store.db, deps.ledger, { clock }),
    catalog,
    credit,
    orders:
      deps.orders ??
      new OrderService({ store: deps.store, ledger: deps.ledger, credit, clock, logger, events }),
    valuation: deps.valuation ?? new ValuationService({ db: deps.store.db, clock, logger }),
    analytics: deps.analytics ?? AnalyticsConfigSchema.parse({}),
    alerts:
      deps.alerts ??
      new AnalyticsAlerts(deps.store.db, {
        clock,
        logger,
        events,
        ...(deps.webhooks ? { webhooks: deps.webhooks } : {}),
      }),
    credentials: deps.credentials,
    site: deps.site ?? { locale: credit.locale, currency: credit.currency },
    epcis: deps.epcis ?? { site: "site" },
    clock,
    log: logger.child({ module: "http" }),
    brokerState: deps.brokerState ?? (() => ({ state: "down" as const, detail: "not reported" })),
    nodeStatus: deps.nodeStatus ?? (() => undefined),
    nodeClock: deps.nodeClock ?? (() => undefined),
    events,
    ...(deps.dunningWebhook ? { dunningWebhook: deps.dunningWebhook } : {}),
    ...(deps.brokerCa ? { brokerCa: deps.brokerCa } : {}),
    ...(deps.fileDrop ? { fileDrop: deps.fileDrop } : {}),
    ...(deps.webhooks ? { webhooks: deps.webhooks } : {}),
    ...(deps.webhookAdmin ? { webhookAdmin: deps.webhookAdmin } : {}),
  };
  const schedules =
    deps.schedules ??
    defaultScheduler({
      store: deps.store,
      credit,
      valuation: base.valuation,
      events,
      clock,
      logger,
      timeZone: base.site.timeZone,
      dunningWebhook: deps.dunningWebhook,
    });
  const resolved = { ...base, schedules };
  return { ...resolved, registry: createMetrics(resolved, deps.registry).registry };
}

/**
 * The gateway's HTTP API under /api/v1: one route group per file, every
 * input parsed with zod, bearer tokens with roles (see `roles.ts`), errors
 * as `{ error: { code, message, path? } }`. A refused request changes
 * nothing: validation and role checks run before any handler, and every
 * change commits with its gateway-ledger entry in one transaction.
 */
export function createGatewayApp(input: GatewayHttpDeps | RouteDeps): Hono<GatewayEnv> {
  const deps = "registry" in input && "log" in input ? input : resolveDeps(input);
  const maxBodyBytes =
    ("maxBodyBytes" in input ? input.maxBodyBytes : undefined) ?? DEFAULT_MAX_BODY_BYTES;
  const requests = deps.registry.getSingleMetric("comptoir_http_requests_total");

  const v1 = new Hono<GatewayEnv>()
    .use(async (c, next) => {
      await next();
      if (requests && "inc" in requests) {
        requests.inc({
          method: c.req.method,
          route: c.req.routePath,
          status: String(c.res.status),
        });
      }
    })
    .use(limitBody(maxBodyBytes, "send fewer or smaller items per request"))
    // An action without a body (an undo) needs no content type.
    .use(
      requireJsonBody({
        methods: ["POST", "PUT", "PATCH"],
        allowNoBody: true,
        exempt: FILE_IMPORT,
      }),
    );
  for (const group of apiRoutes(deps, API_VERSION)) v1.route("/", group.app);

  const app = new Hono<GatewayEnv>();
  app.route("/api/v1", v1);
  app.route("/", dashboardRoutes(deps));
  app.get("/ws", (c) =>
    sendError(c, 426, "upgrade_required", "the live feed is a WebSocket: connect with ws://…/ws"),
  );
  app.notFound(notFound);
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.json(errorBody(error.code, error.message, error.path), error.status);
    }
    if (error instanceof HTTPException) {
      if (error.status === 400) {
        return c.json(
          errorBody("invalid_input", `${error.message || "bad request"} — send valid JSON`),
          400,
        );
      }
      return c.json(errorBody("http_error", error.message || `HTTP ${error.status}`), error.status);
    }
    // The message may name files, SQL or secrets: it goes to the log, the client gets an id to quote.
    const requestId = randomUUID();
    deps.log.error(
      { err: error, requestId, method: c.req.method, path: c.req.path },
      "request failed",
    );
    c.header("X-Request-Id", requestId);
    return c.json(
      {
        error: {
          code: "internal",
          message: `the gateway could not complete this request — its log has the cause under request ${requestId}`,
          requestId,
        },
      },
      500,
    );
  });
  return app;
}
