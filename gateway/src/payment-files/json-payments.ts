import { type Payment, PaymentSchema } from "@comptoir/contracts";
import { readJsonList } from "../file-readers/json-list.js";
import { Problems } from "../file-readers/parse-result.js";
import type { PaymentFileResult } from "./result.js";

/** Payments as JSON: one payment, an array, or `{ "payments": [...] }`, in the contract's shape. */
export function parsePaymentJson(text: string): PaymentFileResult {
  const file = readJsonList(text, { key: "payments", one: "a payment" });
  if (!file.ok) return file;
  const prefix = file.at;
  const problems = new Problems();
  const payments: Payment[] = [];
  const ids = new Map<string, string>();
  file.items.forEach((item, index) => {
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
