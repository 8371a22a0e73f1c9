import type { InputProblem } from "@comptoir/contracts";
import { CUSTOMER_TEMPLATE_PATH, PRODUCT_TEMPLATE_PATH } from "../master-data/index.js";
import type { InboundKind } from "./layout.js";

/** What to do about a refused file, per kind: where its layout is described. */
const TEMPLATE: Record<InboundKind, string> = {
  invoices: "GET /api/v1/invoices/template.csv (CSV), or UBL 2.1, CII or Factur-X PDF",
  payments: "GET /api/v1/payments/template.csv",
  orders: "GET /api/v1/orders/template.csv",
  customers: `GET ${CUSTOMER_TEMPLATE_PATH}`,
  products: `GET ${PRODUCT_TEMPLATE_PATH}`,
};

/**
 * The `<file>.errors.txt` written beside a refused file in `error/`: what
 * happened, every problem with its place in the file (line, or XPath), and
 * what to do. Plain text, for the person at the ERP's end of the share.
 */
export function errorReport(input: {
  kind: InboundKind;
  name: string;
  takenAt: string;
  problems: readonly InputProblem[];
  /** Instead of the usual advice (a duplicate needs none of it). */
  advice?: string;
}): string {
  const { kind, name, problems } = input;
  const lines = [
    `${name} was not imported: nothing from it was stored.`,
    `Taken from inbound/${kind}/ at ${input.takenAt}.`,
    "",
    `${problems.length} problem${problems.length === 1 ? "" : "s"}:`,
    ...problems.map((problem) =>
      problem.path ? `- ${problem.path}: ${problem.message}` : `- ${problem.message}`,
    ),
    "",
    input.advice ??
      `What to do: correct every problem above, then drop the whole file again in inbound/${kind}/ (write it under a .tmp name and rename it when complete). The layout: ${TEMPLATE[kind]}.`,
    "",
  ];
  return lines.join("\n");
}
