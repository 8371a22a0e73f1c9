import { extname } from "node:path";
import { SiteFormatSchema } from "@comptoir/contracts";
import { formatOfFile } from "@comptoir/gateway/file-readers";
// The readers are the gateway's own, so that the CLI refuses exactly what the API would, before sending anything.
import {
  type MasterDataFile,
  type MasterDataFormat,
  readCustomerFile,
  readProductFile,
} from "@comptoir/gateway/master-data";
import { API_TOKEN_HELP } from "../api-token.js";
import { CliError, type CliIO, type Command, UsageError } from "../command.js";
import { type GatewayTarget, gatewayTarget, postToGateway } from "../gateway-api.js";
import { readInput } from "./import-batches.js";

/** One kind of master data: its name and the gateway's own reader of its files. */
interface Kind {
  plural: "customers" | "products";
  read(
    text: string,
    format: MasterDataFormat,
    options: { currency: string },
  ): MasterDataFile<unknown>;
  columns: string;
}

const OPTIONS = {
  gateway: { type: "string" },
  token: { type: "string" },
  "token-file": { type: "string" },
  "dry-run": { type: "boolean" },
} as const;

function masterDataCommand(kind: Kind, summary: string): Command {
  const noun = kind.plural.slice(0, -1);
  return {
    name: `import ${kind.plural}`,
    summary,
    usage: "FILE --gateway URL [--token-file F] [--dry-run]",
    help: `Checks the whole file first, with the gateway's own reader: a bad file is refused with
every problem listed by line and column (CSV) or path (JSON), and nothing is sent. Then sends
it whole to POST /api/v1/${kind.plural}/import, which checks it against what is stored (a
product's GTIN held by another product) and imports it in one transaction: each new ${noun}
created, each changed one replaced (recorded in the gateway ledger with what it was before),
an identical one left alone. Prints how many were created, updated and unchanged.
CSV (.csv) columns: ${kind.columns}.
";" separators and decimal commas are accepted; amounts without a currency are in the
site's. JSON (.json): one ${noun}, an array or { "${kind.plural}": [...] }, as POST
/api/v1/${kind.plural} takes them. Layout: GET /api/v1/${kind.plural}/template.csv.

  --gateway URL     the gateway, e.g. http://gateway:8080
${API_TOKEN_HELP}
                    (an API token of role admin or accounting)
  --dry-run         have the gateway check the file and say what it would create, update and
                    leave unchanged; nothing is stored`,
    options: OPTIONS,
    positionals: { min: 1, max: 1 },
    async run({ values, positionals, io }) {
      const file = positionals[0] as string;
      const to = await gatewayTarget(values, io);
      const format = formatOfFile(file);
      if (format !== "csv" && format !== "json")
        throw new UsageError(
          `cannot tell the format of ${file} (${extname(file) || "no extension"}): name it .csv or .json`,
        );
      const text = await readInput(file);
      const checked = kind.read(text, format, { currency: await siteCurrency(to) });
      if (checked.problems.length > 0) {
        printProblems(io, `${file}: refused, nothing sent`, checked.problems);
        return 1;
      }
      const dryRun = values["dry-run"] === true;
      const answer = await postToGateway(
        to,
        `/${kind.plural}/import${dryRun ? "?dryRun=true" : ""}`,
        text,
        format === "csv" ? "text/csv" : "application/json",
      );
      if (answer.status !== (dryRun ? 200 : 201)) throw refused(io, file, answer);
      io.stdout.write(summaryOf(answer.json, file, noun, dryRun));
      return 0;
    },
  };
}

/**
 * The site's currency (`GET /api/v1/site`): a CSV amount without a
 * currency is in it, and its decimals are checked against it. A gateway
 * that does not say (an older one) is taken to count in euros.
 */
async function siteCurrency(to: GatewayTarget): Promise<string> {
  try {
    const response = await fetch(`${to.gateway}/api/v1/site`, {
      headers: { accept: "application/json" },
    });
    const site = SiteFormatSchema.safeParse(response.ok ? await response.json() : null);
    if (site.success) return site.data.currency;
  } catch {
    // Unreachable: the import's own request will say so, with what to do.
  }
  return "EUR";
}

/** Problems listed at most, so that a file of duplicates does not flood the terminal. */
const MAX_LISTED = 100;

/** "`what` — 3 problems:" then each problem on its own line. */
function printProblems(io: CliIO, what: string, problems: { path: string; message: string }[]) {
  const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  io.stderr.write(`${what} — ${count}:\n`);
  for (const problem of problems.slice(0, MAX_LISTED))
    io.stderr.write(`  ${problem.path ? `${problem.path}: ` : ""}${problem.message}\n`);
  if (problems.length > MAX_LISTED)
    io.stderr.write(`  … and ${problems.length - MAX_LISTED} more\n`);
}

/** The gateway's refusal: every problem it listed, then the one line the command ends with. */
function refused(
  io: CliIO,
  file: string,
  answer: { status: number; json: Record<string, unknown> },
): CliError {
  const error = (answer.json.error ?? {}) as {
    message?: string;
    problems?: { path: string; message: string }[];
  };
  const problems = error.problems ?? [];
  if (problems.length > 0) printProblems(io, `${file}: refused by the gateway`, problems);
  return new CliError(
    `${file}: the gateway refused it (HTTP ${answer.status}): ${error.message ?? "no detail"} — nothing was imported`,
  );
}

/**
 * "customers.csv: 2 customers created, 1 updated, 3 unchanged"; on a dry
 * run, which ids each would be, and that nothing was stored.
 */
function summaryOf(
  json: Record<string, unknown>,
  file: string,
  noun: string,
  dryRun: boolean,
): string {
  const count = (key: string) => (typeof json[key] === "number" ? (json[key] as number) : 0);
  const created = count("created");
  const counts = `${created} ${noun}${created === 1 ? "" : "s"} created, ${count("updated")} updated, ${count("unchanged")} unchanged`;
  if (!dryRun) return `${file}: ${counts}\n`;
  const ids = (json.ids ?? {}) as Partial<Record<"created" | "updated" | "unchanged", string[]>>;
  let out = `${file}: dry run, nothing stored — if imported: ${counts}\n`;
  for (const outcome of ["created", "updated"] as const) {
    const listed = ids[outcome] ?? [];
    if (listed.length > 0) out += `  ${outcome}: ${listed.join(", ")}\n`;
  }
  return out;
}

export const importCustomers = masterDataCommand(
  {
    plural: "customers",
    read: readCustomerFile,
    columns:
      'id, name, credit_limit (a decimal such as 5000.00, or "unlimited"), currency (empty: the site\'s), payment_terms_days',
  },
  "create or update customers (credit limit, payment terms) from a CSV or JSON file",
);

export const importProducts = masterDataCommand(
  {
    plural: "products",
    read: readProductFile,
    columns:
      "sku, name, gtin, other_gtins (separated by spaces or |), unit_price, unit_cost (decimals such as 12.50), currency (empty: the site's), category; GTINs of 8 to 13 digits are padded to 14",
  },
  "create or update products (GTINs, price, cost, category) from a CSV or JSON file",
);
