import type { Clock, Logger } from "@comptoir/contracts";
import type { GatewayConfig } from "@comptoir/firmware-config";
import type { Catalog } from "../catalog/service.js";
import type { GatewayLedger } from "../ledger/gateway-ledger.js";
import type { LiveEvents } from "../live/events.js";
import type { Store } from "../store/store.js";
import type { ValuationService } from "../valuation/service.js";
import type { WebhookSink } from "../webhooks/node-events.js";
import { AbcSchedule } from "./abc-schedule.js";
import { AbcStore } from "./abc-store.js";
import { AnalyticsAlerts } from "./alerts.js";
import { MarginFloorStore } from "./margin-floors.js";
import { MarginWatch } from "./margin-watch.js";
import { ReorderRules } from "./reorder-rules.js";
import { ReorderWatch } from "./reorder-watch.js";
import { SlowMoverWatch } from "./slow-movers.js";
import { AnalyticsWatch } from "./watch.js";

export interface RunningAnalytics {
  alerts: AnalyticsAlerts;
  /** Goods were stored (an ingest batch): the change checks run at the next look. */
  changed(): void;
  stop(): void;
}

/**
 * The gateway's background analytics (issue 16): margin, reorder and
 * slow-mover alerts through one watch, and the scheduled ABC run. The
 * floors, rules and ABC runs live in the store, so the routes, built over
 * the same store, see what these write. `costsChanged` is called after
 * supplier invoices may have moved costs (the counters' catalog carries the
 * next unit's cost).
 */
export function startAnalytics(deps: {
  store: Store;
  ledger: GatewayLedger;
  catalog: Catalog;
  valuation: ValuationService;
  config: GatewayConfig;
  events: LiveEvents;
  clock: Clock;
  logger: Logger;
  costsChanged: () => void;
  /** The outbox: reorder.triggered and margin.alert. */
  webhooks?: WebhookSink;
}): RunningAnalytics {
  const { store, ledger, clock, logger, valuation, config } = deps;
  const db = store.db;
  const alerts = new AnalyticsAlerts(db, {
    clock,
    events: deps.events,
    logger,
    ...(deps.webhooks ? { webhooks: deps.webhooks } : {}),
  });
  const name = (sku: string) => deps.catalog.nameOf(sku) ?? sku;
  const book = () => valuation.book();
  const margins = new MarginWatch({
    db,
    valuation,
    alerts,
    floors: new MarginFloorStore(db, { ledger, clock, seed: config.analytics.marginFloors }),
    currency: config.credit.currency,
    clock,
  });
  const reorder = new ReorderWatch({
    store,
    rules: new ReorderRules(db, ledger, { seed: config.analytics.reorder.rules, clock }),
    alerts,
    clock,
    name,
  });
  const slow = new SlowMoverWatch({
    book,
    alerts,
    config: () => config.analytics.slowMover,
    clock,
    names: name,
  });
  const watch = new AnalyticsWatch({
    db,
    checks: [margins, { name: "reorder", on: "change", check: () => reorder.check() }, slow],
    clock,
    logger,
    everySeconds: config.analytics.checkEverySeconds,
    afterInvoices: deps.costsChanged,
  });
  const abc = new AbcSchedule({
    book,
    store: new AbcStore(db),
    config: () => config.analytics.abc,
    method: valuation.method,
    currency: config.credit.currency,
    names: name,
    clock,
    logger,
  });
  watch.start();
  abc.start();
  return {
    alerts,
    changed: () => watch.changed(),
    stop: () => {
      watch.stop();
      abc.stop();
    },
  };
}
