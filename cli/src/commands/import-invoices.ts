import { extname } from "node:path";
import type { Invoice } from "@comptoir/contracts";
import type { ParseResult } from "@comptoir/gateway/file-readers";
// The parsers are the gateway's own, so that the CLI refuses exactly what the API would, before sending anything.
import { formatOfFile, parseInvoiceFile, parseInvoicePdf } from "@comptoir/gateway/invoice-files";
import { API_TOKEN_HELP } from "../api-token.js";
import { type Command, integerOption, stringOption, UsageError } from "../command.js";
import { gatewayTarget, postToGateway } from "../gateway-api.js";
import { siteMoney } from "../site-format.js";
import {
  type Batches,
  DEFAULT_BATCH,
  IMPORT_OPTIONS,
  printProblems,
  readInput,
  refusal,
  sendBatches,
} from "./import-batches.js";

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
    ...IMPORT_OPTIONS,
    direction: { type: "string" },
    update: { type: "boolean" },
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
      await sendBatches(io, to, file, batches);
    }
    const due = parsed.items.reduce(
      (sum, invoice) =>
        sum + (invoice.type === "credit-note" ? -invoice.amountDue : invoice.amountDue),
      0,
    );
    const currency = parsed.items[0]?.currency ?? "EUR";
    const money = await siteMoney(to);
    io.stdout.write(
      `imported ${parsed.items.length} invoice${parsed.items.length === 1 ? "" : "s"} from ${file} (net amount due ${money(due, currency)})\n`,
    );
    return 0;
  },
};
