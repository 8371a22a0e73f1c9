import { isAbsolute, join, resolve } from "node:path";
import type { Clock, Logger } from "@comptoir/contracts";
import type { GatewayConfig } from "@comptoir/firmware-config";
import type { CreditService } from "../credit/service.js";
import { OutboundExports } from "../outbound-exports/exports.js";
import { dateIn, letterSinkFor, runDunning } from "../receivables-reports/dunning-run.js";
import { DunningSettings } from "../receivables-reports/service.js";
import type { Store } from "../store/store.js";
import type { ValuationService } from "../valuation/service.js";
import type { ScheduledJob } from "./job.js";

export interface GatewayJobsDeps {
  config: Pick<GatewayConfig, "schedules" | "fileDrop" | "dunning">;
  /** gateway.dataDir, which a relative `fileDrop.directory` is read against; undefined: none (a store in memory). */
  dataDir: string | undefined;
  /** The site's zone (`gateway.timeZone`, else the process's): the day of a dunning run or an aged balance. */
  timeZone: string;
  store: Store;
  credit: CreditService;
  valuation: ValuationService;
  /** A reconciliation run now that announces what is new (PeriodicReconciliation.runNow). */
  reconcile: () => { discrepancies: number; announced: number };
  clock: Clock;
  logger?: Logger;
}

/** `<fileDrop.directory>/outbound`, or undefined without a file drop. */
export function outboundDirectory(
  fileDrop: GatewayConfig["fileDrop"],
  dataDir: string | undefined,
): string | undefined {
  const directory = fileDrop.directory;
  if (!directory) return undefined;
  if (isAbsolute(directory)) return join(directory, "outbound");
  return dataDir ? resolve(dataDir, directory, "outbound") : undefined;
}

/** The gateway's scheduled jobs, from the `schedules` section of its config. */
export function gatewayJobs(deps: GatewayJobsDeps): ScheduledJob[] {
  const { config, store, credit, clock, timeZone } = deps;
  const schedules = config.schedules;
  const settings = new DunningSettings(store.db);
  const webhook = config.dunning.webhook;
  const outbound = outboundDirectory(config.fileDrop, deps.dataDir);
  const exports = outbound
    ? new OutboundExports({
        store,
        catalog: credit.catalog,
        valuation: deps.valuation,
        currency: credit.currency,
        directory: outbound,
        dateOf: (now) => dateIn(now, timeZone),
        clock,
        ...(deps.logger ? { logger: deps.logger } : {}),
      })
    : undefined;
  const dunning: ScheduledJob = {
    name: "dunning",
    description:
      "the dunning run of the site's day: the letters due go to dunning.webhook or the outbox directory, each recorded; held letters wait for review",
    ...schedules.dunning,
    run: async ({ actor }) => {
      const result = await runDunning(
        {
          db: store.db,
          settings,
          record: credit.dunning,
          clock,
          timeZone,
          ...(webhook ? { webhook } : {}),
        },
        { actor },
      );
      const summary = `${result.sent.length} sent, ${result.held.length} held, ${result.failed.length} not delivered`;
      // The letters not delivered stay due: the next run sends them.
      if (result.failed.length > 0) {
        throw new Error(`${summary}: ${result.failed[0]?.customer}: ${result.failed[0]?.error}`);
      }
      return summary;
    },
  };
  if (!letterSinkFor(store.db, webhook)) {
    dunning.unavailable =
      "the gateway's database is in memory, so there is no outbox directory: set dunning.webhook in the gateway config";
  }
  const reconciliation: ScheduledJob = {
    name: "reconciliation",
    description:
      "a full reconciliation, changed or not: discrepancies that appeared with time alone (a grace period run out) reach the dashboard and the webhooks",
    ...schedules.reconciliation,
    run: () => {
      const { discrepancies, announced } = deps.reconcile();
      return `${discrepancies} discrepancies, ${announced} new`;
    },
  };
  const exportJob: ScheduledJob = {
    name: "exports",
    description: `CSV files for the ERP in <fileDrop.directory>/outbound/: ${schedules.exports.kinds.join(", ")}`,
    enabled: schedules.exports.enabled,
    cron: schedules.exports.cron,
    run: async () => {
      if (!exports) throw new Error("no fileDrop.directory");
      const files = await exports.run(schedules.exports.kinds);
      return files.map((file) => `${file.file} (${file.rows} rows)`).join(", ");
    },
  };
  if (!exports) {
    exportJob.unavailable =
      "no file drop: set fileDrop.directory in the gateway config (the exports go to its outbound/ folder)";
  }
  return [dunning, reconciliation, exportJob];
}
