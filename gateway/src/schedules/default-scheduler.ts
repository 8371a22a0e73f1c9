import { dirname } from "node:path";
import type { Clock, Logger } from "@comptoir/contracts";
import { FileDropConfigSchema, SchedulesConfigSchema } from "@comptoir/firmware-config";
import type { CreditService } from "../credit/service.js";
import type { LiveEvents } from "../live/events.js";
import { PeriodicReconciliation } from "../reconciliation/periodic.js";
import type { Store } from "../store/store.js";
import type { ValuationService } from "../valuation/service.js";
import { processTimeZone } from "./cron.js";
import { gatewayJobs } from "./gateway-jobs.js";
import { Scheduler } from "./scheduler.js";

/**
 * The jobs of a gateway config's defaults (no file drop), over the given
 * services, not started: what an HTTP app built without a running gateway
 * (tests, tools) lists and runs on request.
 */
export function defaultScheduler(deps: {
  store: Store;
  credit: CreditService;
  valuation: ValuationService;
  events: LiveEvents;
  clock: Clock;
  logger: Logger;
  timeZone: string | undefined;
  dunningWebhook: string | undefined;
}): Scheduler {
  const { store, clock, logger } = deps;
  const timeZone = deps.timeZone ?? processTimeZone();
  const reconciliation = new PeriodicReconciliation({
    store,
    catalog: deps.credit.catalog,
    events: deps.events,
    clock,
    logger,
  });
  const file = store.db.name;
  const jobs = gatewayJobs({
    config: {
      schedules: SchedulesConfigSchema.parse({}),
      fileDrop: FileDropConfigSchema.parse({}),
      dunning: deps.dunningWebhook ? { webhook: deps.dunningWebhook } : {},
    },
    dataDir: file && file !== ":memory:" ? dirname(file) : undefined,
    timeZone,
    store,
    credit: deps.credit,
    valuation: deps.valuation,
    reconcile: () => reconciliation.runNow(),
    clock,
    logger,
  });
  return new Scheduler({ db: store.db, jobs, timeZone, clock, logger });
}
