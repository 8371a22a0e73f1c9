import { type Invoice, InvoiceSchema } from "@comptoir/contracts";
import { z } from "zod";
import { Problems } from "../file-readers/parse-result.js";
import { checkDuplicates, type InvoiceFileResult, notesFor } from "./result.js";

/** A JSON file: one invoice, an array of them, or `{ "invoices": [...] }`, in the contract's own shape. */
const JsonInvoiceFile = z.union([
  z.strictObject({ invoices: z.array(z.unknown()).min(1).max(10_000) }),
  z.array(z.unknown()).min(1).max(10_000),
  z.record(z.string(), z.unknown()),
]);

export function parseInvoiceJson(text: string): InvoiceFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ path: "", message: `not valid JSON: ${detail}` }] };
  }
  const file = JsonInvoiceFile.safeParse(data);
  if (!file.success)
    return {
      ok: false,
      problems: [
        { path: "", message: 'expected an invoice, an array of invoices or { "invoices": [...] }' },
      ],
    };
  const wrapped =
    !Array.isArray(file.data) && "invoices" in file.data && Array.isArray(file.data.invoices);
  const list: unknown[] = Array.isArray(file.data)
    ? file.data
    : wrapped
      ? (file.data.invoices as unknown[])
      : [file.data];
  const prefix = (index: number) =>
    Array.isArray(file.data) ? `[${index}]` : wrapped ? `invoices[${index}]` : "";
  const problems = new Problems();
  const built: { invoice: Invoice; where: string }[] = [];
  list.forEach((item, index) => {
    const withSource =
      typeof item === "object" && item !== null && !("source" in item)
        ? { ...item, source: { format: "json" } }
        : item;
    const parsed = InvoiceSchema.safeParse(withSource);
    if (parsed.success) {
      built.push({ invoice: parsed.data, where: prefix(index) || "invoice" });
      return;
    }
    problems.addIssues(prefix(index), parsed.error.issues);
  });
  checkDuplicates(built, problems);
  if (!problems.empty) return { ok: false, problems: problems.list };
  const invoices = built.map(({ invoice }) => invoice);
  return { ok: true, items: invoices, notes: notesFor(invoices) };
}
