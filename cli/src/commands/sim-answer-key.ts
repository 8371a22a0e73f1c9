import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describeRun, runAnswerKey } from "../answer-key/run.js";
import { CliError, type Command, integerOption, stringOption } from "../command.js";

export const simAnswerKey: Command = {
  name: "sim answer-key",
  summary:
    "run a simulated site through the real path and check every figure of the gateway against its answer key",
  usage: "[--days N] [--items N] [--seed N] [--data DIR] [--json]",
  help: `Plans a site's days from a seed (deliveries, put-away, orders picked and shipped, invoices,
payments, and one of each injected fault), works out the answer key from the plan alone, then
makes it happen: a gateway with its embedded broker here, a dock-door portal and a shelf as
\`comptoir node\` processes reading simulated readers over TCP, the accounting through the API.
It then compares the gateway's stock per product and zone, stock value, movements, the exact
discrepancy list (nothing missed, nothing extra), each customer's exposure parts and the aged
balance with the key, prints every difference, and exits 1 if there is any.

Accounting is dated on simulated days ending today; the physical moves happen as the run goes
(about half a minute a simulated day at the default size: some 17 minutes for the month), so
reconciliation is asked with graceDays=0.

  --days N    simulated days (default 30; at least 2)
  --items N   items delivered a day (default 90: about 10 000 movements over 30 days)
  --seed N    the plan's seed (default 1)
  --data DIR  keep the gateway's and nodes' data there (default: a temporary folder, removed)
  --json      print the report as JSON`,
  options: {
    days: { type: "string" },
    items: { type: "string" },
    seed: { type: "string" },
    data: { type: "string" },
    json: { type: "boolean" },
  },
  async run({ values, io }) {
    const kept = stringOption(values, "data");
    const root = kept ? resolve(kept) : await mkdtemp(join(tmpdir(), "comptoir-answer-key-"));
    try {
      const run = await runAnswerKey({
        root,
        days: integerOption(values, "days", 2, 3650) ?? 30,
        itemsPerDay: integerOption(values, "items", 1, 10_000) ?? 90,
        seed: integerOption(values, "seed", 0, 2 ** 31) ?? 1,
        // The node processes run the same entry point as this command (source or bundle).
        entry: runningEntry(),
        say: (line) => {
          if (io.verbose || !line.startsWith("node:")) io.stderr.write(`  ${line}\n`);
        },
      });
      if (values.json) {
        io.stdout.write(
          `${JSON.stringify({ faults: run.plan.faults, report: run.report, seconds: run.seconds })}\n`,
        );
      } else {
        io.stdout.write(`${describeRun(run).join("\n")}\n`);
      }
      const { missed, falsePositives, differences } = run.report;
      return missed.length + falsePositives.length + differences.length === 0 ? 0 : 1;
    } finally {
      if (!kept) await rm(root, { recursive: true, force: true });
    }
  },
};

function runningEntry(): string {
  const entry = process.argv[1];
  if (!entry) throw new CliError("cannot tell which comptoir entry point runs this command");
  return entry;
}
