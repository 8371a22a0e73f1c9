import type { Payment } from "@comptoir/contracts";
import type { ParseResult } from "../file-readers/parse-result.js";
import { parsePaymentCsv, parsePaymentJson } from "../payment-files/index.js";

/**
 * The parsers of a payments file by format, the same for POST
 * /payments/import and the file drop's `inbound/payments/` folder; the
 * payments are then recorded and applied by `credit.payments.import`.
 */
export function paymentFileParsers(
  currency: string,
): Record<"csv" | "json", (text: string) => ParseResult<Payment>> {
  return {
    json: parsePaymentJson,
    csv: (text) => parsePaymentCsv(text, { currency }),
  };
}
