import { setTimeout as sleep } from "node:timers/promises";
import type { JsonApi } from "@comptoir/simulators";
import { compareWithKey, type KeyReport } from "./compare.js";
import { compareWebhooks } from "./compare-webhooks.js";
import { driveSite } from "./drive.js";
import { type AnswerKey, answerKey, compareRows, type KeyStockRow } from "./key.js";
import { webhookKey } from "./key-webhooks.js";
import { type PlanOptions, planSite, type SitePlan } from "./plan.js";
import { startSite } from "./site.js";

export interface AnswerKeyRun {
  plan: SitePlan;
  key: AnswerKey;
  report: KeyReport;
  seconds: number;
}

export interface AnswerKeyRunOptions extends PlanOptions {
  /** A fresh folder for the gateway's and the nodes' data. */
  root: string;
  /** The `comptoir` entry point that starts node processes (the caller knows where it runs from). */
  entry: string;
  say?: (line: string) => void;
}

/**
 * Plans a site, runs it through the real path (simulated readers → node
 * processes → MQTT → gateway, accounting through the API), waits until the
 * gateway has caught up, and compares every figure of its API with the
 * answer key worked out from the plan.
 */
export async function runAnswerKey(options: AnswerKeyRunOptions): Promise<AnswerKeyRun> {
  const started = performance.now();
  const say = options.say ?? (() => {});
  const plan = planSite(options);
  const key = answerKey(plan);
  const site = await startSite({
    root: options.root,
    entry: options.entry,
    say,
  });
  try {
    await driveSite(site, plan, say);
    await settled(site.api, key.stock);
    const report = await compareWithKey(site.api, key, plan.end);
    const webhooks = await compareWebhooks(
      site.api,
      site.erp,
      webhookKey(plan),
      key.discrepancies,
      (figure, expected, actual) => {
        report.compared += 1;
        if (JSON.stringify(expected) !== JSON.stringify(actual))
          report.differences.push({ figure, key: expected, api: actual });
      },
    );
    report.counts.webhookEvents = webhooks.events;
    report.counts.webhookDuplicates = webhooks.duplicates;
    return { plan, key, report, seconds: (performance.now() - started) / 1000 };
  } finally {
    await site.stop();
  }
}

/**
 * Waits until the nodes' last movements have reached the gateway: its stock
 * equals the key's, or stops changing for a few seconds (then the comparison
 * says what differs).
 */
async function settled(api: JsonApi, expected: KeyStockRow[]): Promise<void> {
  const want = JSON.stringify(expected);
  let last = "";
  let stableSince = Date.now();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { rows } = await api.get<{ rows: KeyStockRow[] }>("/stock");
    const now = JSON.stringify([...rows].sort(compareRows));
    if (now === want) return;
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 10_000) {
      return;
    }
    await sleep(250);
  }
}

/** The run's figures, one per line, for people and for closing notes. */
export function describeRun(run: AnswerKeyRun): string[] {
  const { plan, report, key } = run;
  const lines = [
    `site answer key: ${plan.days.length} simulated days (${plan.start} to ${plan.end}), seed ${plan.seed}, ${run.seconds.toFixed(0)} s`,
    `  movements ${report.counts.movements} (${Object.entries(key.movements)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(
        ", ",
      )}), stock rows ${report.counts.stockRows}, discrepancies ${report.counts.discrepancies}, customers ${report.counts.customers}`,
    `  orders ${report.counts.orders} (${Object.entries(
      Object.values(key.orders).reduce<Record<string, number>>((counts, state) => {
        counts[state] = (counts[state] ?? 0) + 1;
        return counts;
      }, {}),
    )
      .map(([state, count]) => `${state} ${count}`)
      .join(", ")}), held ${key.held}`,
    ...valuationLines(key, report),
    `  webhooks: ${report.counts.webhookEvents ?? 0} events received by the ERP, ${report.counts.webhookDuplicates ?? 0} delivered twice`,
    `  faults injected: ${plan.faults.length}`,
    ...plan.faults.map((fault) => `    ${fault.date} ${fault.fault}: ${fault.detail}`),
    `  discrepancies in the key: ${key.discrepancies.length}`,
    ...key.discrepancies.map(
      (d) =>
        `    ${d.kind} ${d.order ?? d.gtin ?? ""}${d.sku ? ` ${d.sku}` : ""}: observed ${d.observed}, invoiced ${d.invoiced}, amount ${d.amount ?? "-"}, ${d.evidence} reads`,
    ),
    `  figures compared ${report.compared}: missed ${report.missed.length}, false positives ${report.falsePositives.length}, other differences ${report.differences.length}`,
  ];
  for (const missed of report.missed) lines.push(`  MISSED ${JSON.stringify(missed)}`);
  for (const extra of report.falsePositives)
    lines.push(`  FALSE POSITIVE ${JSON.stringify(extra)}`);
  for (const difference of report.differences) {
    lines.push(
      `  DIFFERS ${difference.figure}: key ${JSON.stringify(difference.key)}, api ${JSON.stringify(difference.api)}`,
    );
  }
  return lines;
}

const money = (minor: number) => (minor / 100).toFixed(2);

/** The key's valuation figures, as the gateway had to give them. */
function valuationLines(key: AnswerKey, report: KeyReport): string[] {
  const cogs = Object.values(key.cogs);
  const sum = (pick: (row: (typeof cogs)[number]) => number) =>
    cogs.reduce((total, row) => total + pick(row), 0);
  const breaches = Object.values(key.fifoBreaches).reduce((total, row) => total + row.breaches, 0);
  const under = key.margins.filter((row) => row.margin < 0).length;
  const estimated = key.margins.filter((row) => row.estimated).length;
  return [
    `  stock value (FIFO) ${money(key.stockValue)} for ${key.valuationTotal.quantity} units (each at its own layer's cost ${money(key.valuationTotal.actualValue)}, ${key.valuationTotal.provisionalQuantity} provisional), COGS ${money(sum((row) => row.cogs))} for ${sum((row) => row.quantity)} units out (actual ${money(sum((row) => row.actualCost))})`,
    `  margins: ${key.margins.length} invoice lines in the key, ${report.counts.marginRows} listed (${under} under cost, ${estimated} estimated); FIFO breaches ${breaches}`,
  ];
}
