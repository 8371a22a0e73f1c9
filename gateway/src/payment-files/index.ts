/** Parsers of payments received: bank exports (CSV) and JSON. Recording and applying them is payments/. */
export { PAYMENT_CSV_COLUMNS, parsePaymentCsv, paymentCsvTemplate } from "./csv-payments.js";
export { parsePaymentJson } from "./json-payments.js";
export type { PaymentFileResult } from "./result.js";
