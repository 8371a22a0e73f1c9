import { benches } from "../bench/index.js";
import { type BenchReport, formatReport } from "../bench/result.js";
import type { Command } from "../command.js";
import { UsageError } from "../command.js";

export const bench: Command = {
  name: "bench",
  summary: "run the benchmarks; each figure is printed next to a baseline measured in the same run",
  usage: "[NAME] [--json] [--quick]",
  help: `Benchmarks: ${benches.map((b) => `${b.name} (${b.summary})`).join("; ")}.
Without NAME, runs them all. Absolute figures drift between machines and runs;
the ratio to the baseline is what compares.

  --json    print { "bench", "results": [ { "metric", "value", "unit", "baseline", "ratio", "goal", "met" } ] }
  --quick   a few seconds per figure`,
  options: { json: { type: "boolean" }, quick: { type: "boolean" } },
  positionals: { min: 0, max: 1 },
  async run({ values, positionals, io }) {
    const name = positionals[0];
    const selected = name === undefined ? benches : benches.filter((b) => b.name === name);
    if (selected.length === 0) {
      throw new UsageError(
        `no benchmark "${name}"; there are: ${benches.map((b) => b.name).join(", ")}`,
      );
    }
    for (const item of selected) {
      const results = await item.run({
        quick: values.quick === true,
        log: (line) => io.stderr.write(`${line}\n`),
      });
      const report: BenchReport = { bench: item.name, results };
      io.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    }
    return 0;
  },
};
