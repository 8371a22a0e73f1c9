import type { Payment } from "@comptoir/contracts";
import type { ParseResult } from "../file-readers/parse-result.js";

/** A bank export or JSON file read into payments, or every problem of it. */
export type PaymentFileResult = ParseResult<Payment>;
