import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { decodeUtf8, formatDecimalMoney, type Invoice, type Payment } from "@comptoir/contracts";
import { csvLine } from "../../../gateway/src/invoice-files/csv-reader.js";
// The parsers are the gateway's own, so that the CLI refuses exactly what the API would, before sending anything.
import {
  formatOfFile,
  type ParseResult,
  parseInvoiceFile,
  parseInvoicePdf,
  parsePaymentCsv,
} from "../../../gateway/src/invoice-files/index.js";
import { API_TOKEN_HELP } from "../api-token.js";
import {
  CliError,
  type CliIO,
  type Command,
  integerOption,
  stringOption,
  UsageError,
} from "../command.js";
import { type GatewayTarget, gatewayTarget, postToGateway } from "../gateway-api.js";

const DEFAULT_BATCH = 500;

/**
 * The gateway's refusal: its listed problems (the first ten) on their own
 * lines first, then the one-line error the command ends with.
 */
function refusal(
  io: CliIO,
  status: number,
  json: Record<string, unknown>,
  what: string,
  kept: string,
): CliError {
  const error = (json.error ?? {}) as {
    message?: string;
    problems?: { path: string; message: string }[];
  };
  for (const problem of (error.problems ?? []).slice(0, 10))
    io.stderr.write(`  ${problem.path}: ${problem.message}\n`);
  return new CliError(
    `${what}: the gateway refused it (HTTP ${status}): ${error.message ?? "no detail"} — ${kept}`,
  );
}

function printProblems<T>(
  result: ParseResult<T>,
  file: string,
  io: CliIO,
): result is Extract<ParseResult<T>, { ok: true }> {
  if (result.ok) return true;
  io.stderr.write(
    `${file}: refused, nothing sent — ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}:\n`,
  );
  for (const problem of result.problems)
    io.stderr.write(`  ${problem.path ? `${problem.path}: ` : ""}${problem.message}\n`);
  return false;
}

function progress(io: CliIO, verb: string, done: number, total: number, what: string) {
  const line = `${verb} ${done.toLocaleString("en")}/${total.toLocaleString("en")} ${what}`;
  io.stderr.write(io.stderr.isTTY ? `\r${line}` : `${line}\n`);
}

/** Problems listed at most, so that a file of duplicates does not flood the terminal. */
const MAX_LISTED = 100;

/** A file's items sent in batches of `size`: where, with what query, and how each batch is written. */
interface Batches<T> {
  path: string;
  /** "" or "?a=b&c=d". */
  query: string;
  items: readonly T[];
  size: number;
  /** "invoice", "payment": for messages. */
  noun: string;
  /** How an item is named in messages: its invoice number, its payment id. */
  name(item: T): string;
  body(chunk: readonly T[]): { body: string; type: string };
}

/**
 * Has the gateway check every batch without storing anything
 * (?dryRun=true), so that a file is imported whole or not at all: the
 * problems of every batch are listed by the item's place in the file
 * (the gateway locates them as `[index].field` in the batch), then the
 * command ends without having imported anything. Duplicates inside the
 * file were already refused by the parse, before any batch was sent.
 */
async function checkBatches<T>(
  io: CliIO,
  to: GatewayTarget,
  file: string,
  batches: Batches<T>,
): Promise<void> {
  const { items, size, noun } = batches;
  const total = items.length;
  const problems: string[] = [];
  const statuses = new Set<number>();
  const checkQuery = `${batches.query ? `${batches.query}&` : "?"}dryRun=true`;
  for (let start = 0; start < total; start += size) {
    const chunk = items.slice(start, start + size);
    const { body, type } = batches.body(chunk);
    const answer = await postToGateway(to, `${batches.path}${checkQuery}`, body, type);
    if (answer.status !== 200) {
      const listed = ((answer.json.error as { problems?: unknown } | undefined)?.problems ??
        []) as { path: string; message: string }[];
      // Not a problem of the items (a wrong token, a gateway error): nothing more to check.
      if (![400, 409, 422].includes(answer.status) || listed.length === 0) {
        if (io.stderr.isTTY && total > size) io.stderr.write("\n");
        throw refusal(
          io,
          answer.status,
          answer.json,
          `${noun}s ${start + 1} to ${start + chunk.length}`,
          "nothing was imported",
        );
      }
      statuses.add(answer.status);
      for (const problem of listed) problems.push(inFile(problem, start, batches));
    }
    if (total > size) progress(io, "checking", start + chunk.length, total, `${noun}s`);
  }
  if (problems.length === 0) return;
  if (io.stderr.isTTY && total > size) io.stderr.write("\n");
  const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  io.stderr.write(`${file}: refused by the gateway, nothing imported — ${count}:\n`);
  for (const line of problems.slice(0, MAX_LISTED)) io.stderr.write(`  ${line}\n`);
  if (problems.length > MAX_LISTED)
    io.stderr.write(`  … and ${problems.length - MAX_LISTED} more\n`);
  throw new CliError(
    `${file}: the gateway refused it (HTTP ${[...statuses].join(", ")}): ${count} — nothing was imported; fix the file and run the command again`,
  );
}

/**
 * Sends every batch for real, after checkBatches passed; the answer of each.
 * Should one still be refused (someone imported the same items in between),
 * says which batches before it stay imported.
 */
async function importBatches<T>(
  io: CliIO,
  to: GatewayTarget,
  batches: Batches<T>,
): Promise<Record<string, unknown>[]> {
  const { items, size, noun } = batches;
  const total = items.length;
  const answers: Record<string, unknown>[] = [];
  for (let start = 0; start < total; start += size) {
    const chunk = items.slice(start, start + size);
    const { body, type } = batches.body(chunk);
    const answer = await postToGateway(to, `${batches.path}${batches.query}`, body, type);
    if (answer.status !== 201) {
      if (io.stderr.isTTY) io.stderr.write("\n");
      const last = items[start - 1];
      const kept =
        start === 0 || !last
          ? "nothing was imported"
          : `${noun}s 1 to ${start} (up to ${batches.name(last)}) were imported; rerun without them`;
      throw refusal(
        io,
        answer.status,
        answer.json,
        `${noun}s ${start + 1} to ${start + chunk.length}`,
        kept,
      );
    }
    answers.push(answer.json);
    if (total > size) progress(io, "importing", start + chunk.length, total, `${noun}s`);
  }
  if (total > size && io.stderr.isTTY) io.stderr.write("\n");
  return answers;
}

/** A problem the gateway located in a batch (`[3].number`), placed in the file: `invoice 1204 of 2000 (F-1204), number: …`. */
function inFile<T>(
  problem: { path: string; message: string },
  start: number,
  batches: Batches<T>,
): string {
  const located = /^\[(\d+)\](?:\.(.+))?$/.exec(problem.path);
  if (!located) return `${problem.path ? `${problem.path}: ` : ""}${problem.message}`;
  const index = start + Number(located[1]);
  const item = batches.items[index];
  const place = `${batches.noun} ${index + 1} of ${batches.items.length}${item ? ` (${batches.name(item)})` : ""}`;
  return `${place}${located[2] ? `, ${located[2]}` : ""}: ${problem.message}`;
}

async function readInput(file: string): Promise<string>;
async function readInput(file: string, binary: "binary"): Promise<Uint8Array>;
/** The file's text, or its bytes when `binary` (a PDF is never decoded as text). */
async function readInput(file: string, binary?: "binary"): Promise<string | Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (binary) return bytes;
  // Strictly: a lenient decoding would send U+FFFD in place of the bad bytes, and the gateway store it.
  const text = decodeUtf8(bytes);
  if (!text.ok)
    throw new CliError(
      `${file} is not valid UTF-8 at line ${text.line} (byte offset ${text.offset}) — save it as UTF-8 and import it again`,
    );
  return text.text;
}

export const importInvoices: Command = {
  name: "import invoices",
  summary:
    "import customer or supplier invoices from a CSV, UBL 2.1, CII (Factur-X XML), Factur-X/ZUGFeRD PDF or JSON file",
  usage:
    "FILE --gateway URL [--token-file F] [--direction customer|supplier] [--update] [--batch N]",
  help: `Checks the whole file first, exactly as the gateway does: a bad file is refused with every
problem listed by line (CSV) or XPath (XML), and nothing is sent. Then sends it to
POST /api/v1/invoices/import. A UBL or CII file, or a Factur-X/ZUGFeRD PDF (its embedded
XML is checked), goes as it is (one invoice); CSV and JSON
files go as batches of N invoices (default ${DEFAULT_BATCH}), whole or not at all: every batch is
first checked by the gateway without storing anything (invoices already recorded, unknown
customers, …; progress "checking n/N"), and only when all pass are they imported
("importing n/N"). Otherwise every problem is listed by the invoice's place in the file and
nothing is imported. Should a batch still be refused while importing (someone imported the
same invoices in between), the batches before it stay imported and the command says which.
The CSV layout: GET /api/v1/invoices/template.csv.

  --gateway URL     the gateway, e.g. http://gateway:8080
${API_TOKEN_HELP}
                    (an API token of role admin or accounting)
  --direction D     XML and PDF files: customer (our invoices, default) or supplier (bills to us)
  --update          replace invoices already recorded (each replacement is its own ledger entry)
  --batch N         invoices per request for CSV and JSON files`,
  options: {
    gateway: { type: "string" },
    token: { type: "string" },
    "token-file": { type: "string" },
    direction: { type: "string" },
    update: { type: "boolean" },
    batch: { type: "string" },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, io }) {
    const file = positionals[0] as string;
    const to = await gatewayTarget(values, io);
    const direction = stringOption(values, "direction") ?? "customer";
    if (direction !== "customer" && direction !== "supplier")
      throw new UsageError("--direction must be customer or supplier");
    const batch = integerOption(values, "batch", 1, 10_000) ?? DEFAULT_BATCH;
    const format = formatOfFile(file);
    if (!format)
      throw new UsageError(
        `cannot tell the format of ${file} (${extname(file) || "no extension"}): name it .csv, .xml, .pdf or .json`,
      );
    // XML and PDF files go as they are (one invoice each); CSV and JSON are re-sent as JSON batches.
    let whole: { body: string | Uint8Array; type: string } | undefined;
    let parsed: ParseResult<Invoice>;
    if (format === "pdf") {
      const bytes = await readInput(file, "binary");
      parsed = await parseInvoicePdf(bytes, { direction });
      whole = { body: bytes, type: "application/pdf" };
    } else {
      const text = await readInput(file);
      parsed = parseInvoiceFile(text, format, { direction });
      if (format === "xml") whole = { body: text, type: "application/xml" };
    }
    if (!printProblems(parsed, file, io)) return 1;
    for (const note of parsed.notes) io.stderr.write(`note: ${note}\n`);
    const query = `?direction=${direction}${values.update ? "&update=true" : ""}`;
    if (whole) {
      const answer = await postToGateway(to, `/invoices/import${query}`, whole.body, whole.type);
      if (answer.status !== 201)
        throw refusal(io, answer.status, answer.json, file, "nothing was imported");
    } else {
      const batches: Batches<Invoice> = {
        path: "/invoices/import",
        query,
        items: parsed.items,
        size: batch,
        noun: "invoice",
        name: (invoice) => invoice.number,
        body: (chunk) => ({ body: JSON.stringify(chunk), type: "application/json" }),
      };
      await checkBatches(io, to, file, batches);
      await importBatches(io, to, batches);
    }
    const due = parsed.items.reduce(
      (sum, invoice) =>
        sum + (invoice.type === "credit-note" ? -invoice.amountDue : invoice.amountDue),
      0,
    );
    const currency = parsed.items[0]?.currency ?? "EUR";
    io.stdout.write(
      `imported ${parsed.items.length} invoice${parsed.items.length === 1 ? "" : "s"} from ${file} (net amount due ${formatDecimalMoney({ amount: due, currency })} ${currency})\n`,
    );
    return 0;
  },
};

export const importPayments: Command = {
  name: "import payments",
  summary: "import a bank export of payments received (CSV: date, amount, label, reference, payer)",
  usage: "FILE --gateway URL [--token-file F] [--currency EUR] [--batch N]",
  help: `Checks the whole file first (every bad row listed, nothing sent), then sends it to
POST /api/v1/payments/import in batches of N payments (default ${DEFAULT_BATCH}), whole or not at
all as for invoices: every batch is first checked by the gateway without storing anything
("checking n/N"), and only when all pass are they imported ("importing n/N"). Each payment is
applied as the gateway does (invoice references in the label first, then oldest due first),
and what became of it is printed: a line per match (invoice, amount, letter, rule, who) and what
is left unapplied.
Columns: id, date (YYYY-MM-DD or DD/MM/YYYY), amount, currency, label, reference, payer, customer;
";" separators and decimal commas are accepted.

  --gateway URL     the gateway
${API_TOKEN_HELP}
                    (an API token of role admin or accounting)
  --currency C      when the file has no currency column (default EUR)`,
  options: {
    gateway: { type: "string" },
    token: { type: "string" },
    "token-file": { type: "string" },
    currency: { type: "string" },
    batch: { type: "string" },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, io }) {
    const file = positionals[0] as string;
    const to = await gatewayTarget(values, io);
    const batch = integerOption(values, "batch", 1, 10_000) ?? DEFAULT_BATCH;
    const currency = stringOption(values, "currency") ?? "EUR";
    if (!/^[A-Z]{3}$/.test(currency))
      throw new UsageError("--currency must be an ISO 4217 code such as EUR");
    const parsed = parsePaymentCsv(await readInput(file), { currency });
    if (!printProblems(parsed, file, io)) return 1;
    const total = parsed.items.length;
    const batches: Batches<Payment> = {
      path: "/payments/import",
      query: "",
      items: parsed.items,
      size: batch,
      noun: "payment",
      name: (payment) => payment.id,
      // Re-written with explicit ids and decimal points, so that the gateway reads exactly what was checked here.
      body: (chunk) => ({
        body:
          csvLine(["id", "date", "amount", "currency", "label", "reference", "payer", "customer"]) +
          chunk
            .map((p) =>
              csvLine([
                p.id,
                p.date,
                formatDecimalMoney({ amount: p.amount, currency: p.currency }),
                p.currency,
                p.label,
                p.reference,
                p.payer,
                p.customer,
              ]),
            )
            .join(""),
        type: "text/csv",
      }),
    };
    await checkBatches(io, to, file, batches);
    const imported: ImportedPayment[] = [];
    for (const answer of await importBatches(io, to, batches))
      imported.push(...((answer.payments ?? []) as ImportedPayment[]));
    const unapplied = imported.reduce((sum, payment) => sum + payment.unapplied, 0);
    io.stdout.write(
      `imported ${total} payment${total === 1 ? "" : "s"} from ${file}; unapplied ${formatDecimalMoney({ amount: unapplied, currency })} ${currency}\n`,
    );
    for (const payment of imported) io.stdout.write(applicationLines(payment, currency));
    return 0;
  },
};

/** A payment as POST /payments/import answers it. */
interface ImportedPayment {
  id: string;
  customer: string | null;
  unapplied: number;
  allocations: {
    letter: string;
    source: "payment" | "write-off";
    invoice: string | null;
    amount: number;
    rule: string;
    by: { kind: string; id: string };
  }[];
}

/**
 * What became of one payment, a line per match (invoice, amount, letter,
 * rule, who), then what is left unapplied:
 *   "  P1 (acme): F-1 99.50 EUR, letter A, label-reference, by token:tok_1"
 */
function applicationLines(payment: ImportedPayment, currency: string): string {
  const money = (amount: number) => `${formatDecimalMoney({ amount, currency })} ${currency}`;
  const head = `  ${payment.id} (${payment.customer ?? "no customer identified"}): `;
  let out = "";
  for (const match of payment.allocations) {
    const what =
      match.invoice === null
        ? `overpayment ${money(match.amount)} written off`
        : `${match.invoice} ${money(match.amount)}${match.source === "write-off" ? " written off" : ""}`;
    out += `${head}${what}, letter ${match.letter}, ${match.rule}, by ${match.by.kind}:${match.by.id}\n`;
  }
  if (payment.unapplied > 0) out += `${head}unapplied ${money(payment.unapplied)}\n`;
  return out;
}
