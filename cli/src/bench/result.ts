/** One measured figure, next to a baseline measured in the same run on the same machine. */
export interface BenchResult {
  metric: string;
  value: number;
  unit: string;
  baseline: number;
  /** value / baseline: comparable across shared, noisy machines where absolute figures are not. */
  ratio: number;
  /** The target, e.g. ">= 100000" or "<= 25"; null when the figure is for the record. */
  goal: string | null;
  /** Whether the value meets the goal on this machine (null without a goal). */
  met: boolean | null;
}

export interface BenchReport {
  bench: string;
  results: BenchResult[];
}

export interface Bench {
  name: string;
  summary: string;
  run(options: { quick: boolean; log: (line: string) => void }): Promise<BenchResult[]>;
}

/**
 * A goal on the figure itself (atLeast / atMost) and, optionally, on its ratio to the
 * same-run baseline (ratioAtLeast): a shared machine can make the absolute figure look
 * good or bad, the ratio says what the measured code costs over the bare work.
 */
export interface BenchGoal {
  atLeast?: number;
  atMost?: number;
  ratioAtLeast?: number;
}

export function result(
  metric: string,
  value: number,
  unit: string,
  baseline: number,
  goal?: BenchGoal,
): BenchResult {
  const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);
  const ratio = baseline === 0 ? 0 : Math.round((value / baseline) * 1000) / 1000;
  const conditions: { text: string; met: boolean }[] = [];
  if (goal?.atLeast !== undefined) {
    conditions.push({ text: `>= ${goal.atLeast}`, met: value >= goal.atLeast });
  } else if (goal?.atMost !== undefined) {
    conditions.push({ text: `<= ${goal.atMost}`, met: value <= goal.atMost });
  }
  if (goal?.ratioAtLeast !== undefined) {
    conditions.push({
      text: `>= ${goal.ratioAtLeast} x baseline`,
      met: baseline !== 0 && value / baseline >= goal.ratioAtLeast,
    });
  }
  return {
    metric,
    value: round(value),
    unit,
    baseline: round(baseline),
    ratio,
    goal: conditions.length === 0 ? null : conditions.map((c) => c.text).join(" and "),
    met: conditions.length === 0 ? null : conditions.every((c) => c.met),
  };
}

export function formatReport(report: BenchReport): string {
  const header = ["metric", "value", "unit", "baseline", "ratio", "goal", ""];
  const rows = report.results.map((r) => [
    r.metric,
    r.value.toLocaleString("en"),
    r.unit,
    r.baseline.toLocaleString("en"),
    r.ratio.toFixed(3),
    r.goal ?? "(for the record)",
    r.met === null ? "" : r.met ? "met" : "NOT MET",
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => (row[column] ?? "").length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 1 || column === 3 || column === 4
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return `bench ${report.bench}\n${[header, ...rows].map(line).join("\n")}\n`;
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}
