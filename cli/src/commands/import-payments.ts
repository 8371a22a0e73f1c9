import { formatDecimalMoney, type Payment } from "@comptoir/contracts";
import { csvLine } from "@comptoir/gateway/file-readers";
// The parser is the gateway's own, so that the CLI refuses exactly what the API would, before sending anything.
import { parsePaymentCsv } from "@comptoir/gateway/payment-files";
import { API_TOKEN_HELP } from "../api-token.js";
import { type Command, integerOption, stringOption, UsageError } from "../command.js";
import { gatewayTarget } from "../gateway-api.js";
import { siteMoney } from "../site-format.js";
import {
  type Batches,
  DEFAULT_BATCH,
  IMPORT_OPTIONS,
  printProblems,
  readInput,
  sendBatches,
} from "./import-batches.js";

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
  options: { ...IMPORT_OPTIONS, currency: { type: "string" } },
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
    const imported: ImportedPayment[] = [];
    for (const answer of await sendBatches(io, to, file, batches))
      imported.push(...((answer.payments ?? []) as ImportedPayment[]));
    const unapplied = imported.reduce((sum, payment) => sum + payment.unapplied, 0);
    const written = await siteMoney(to);
    const money = (amount: number) => written(amount, currency);
    io.stdout.write(
      `imported ${total} payment${total === 1 ? "" : "s"} from ${file}; unapplied ${money(unapplied)}\n`,
    );
    for (const payment of imported) io.stdout.write(applicationLines(payment, money));
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
 *   "  P1 (acme): F-1 €99.50, letter A, label-reference, by token:tok_1"
 * with amounts in the site's locale (`money`).
 */
function applicationLines(payment: ImportedPayment, money: (amount: number) => string): string {
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
