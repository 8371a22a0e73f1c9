import { type Payment, PaymentSchema } from "@comptoir/contracts";
import { Problems } from "../file-readers/parse-result.js";
import type { PaymentFileResult } from "./result.js";

/** Payments as JSON: one payment, an array, or `{ "payments": [...] }`, in the contract's shape. */
export function parsePaymentJson(text: string): PaymentFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [
        {
          path: "",
          message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
  const wrapped =
    typeof data === "object" && data !== null && !Array.isArray(data) && "payments" in data;
  const list: unknown[] = Array.isArray(data)
    ? data
    : wrapped
      ? ((data as { payments: unknown }).payments as unknown[])
      : [data];
  if (!Array.isArray(list) || list.length === 0 || list.length > 10_000) {
    return {
      ok: false,
      problems: [
        {
          path: "",
          message: 'expected a payment, an array of 1 to 10000 payments or { "payments": [...] }',
        },
      ],
    };
  }
  const prefix = (index: number) =>
    Array.isArray(data) ? `[${index}]` : wrapped ? `payments[${index}]` : "";
  const problems = new Problems();
  const payments: Payment[] = [];
  const ids = new Map<string, string>();
  list.forEach((item, index) => {
    const parsed = PaymentSchema.safeParse(item);
    if (!parsed.success) {
      problems.addIssues(prefix(index), parsed.error.issues);
      return;
    }
    const first = ids.get(parsed.data.id);
    if (first !== undefined)
      problems.add(prefix(index), `payment ${parsed.data.id} already appears at ${first}`);
    else ids.set(parsed.data.id, prefix(index) || "payment");
    payments.push(parsed.data);
  });
  if (!problems.empty) return { ok: false, problems: problems.list };
  return { ok: true, items: payments, notes: [] };
}
