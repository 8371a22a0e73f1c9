import { type Invoice, MAX_MINOR_UNITS, safeSum } from "@comptoir/contracts";
import type { Problems } from "../file-readers/parse-result.js";

/** Where each total came from in the file, to point at it when it does not add up. */
export interface TotalPaths {
  lineTotal: string;
  grossTotal: string;
  amountDue: string;
}

/**
 * The arithmetic EN 16931 requires (BR-CO-10, -15, -16), checked in minor
 * units: lines add up to the line total (BT-106), net + VAT = total with
 * VAT (BT-112), and total − prepaid + rounding (BT-114) = amount due
 * (BT-115). Rounding is the one place a cent of difference is allowed:
 * it is written in the file, not guessed.
 */
export function checkTotals(
  invoice: Invoice,
  lineTotal: number | undefined,
  rounding: number,
  paths: TotalPaths,
  problems: Problems,
): void {
  // The invoice passed InvoiceSchema, which refuses line amounts, and net + VAT, that add up
  // past what a number keeps exactly: these two sums are exact. Rounding is the file's own.
  if (invoice.lines.length > 0 && lineTotal !== undefined) {
    const sum = invoice.lines.reduce((total, line) => total + line.netAmount, 0);
    if (sum !== lineTotal) {
      problems.add(
        paths.lineTotal,
        `line amounts add up to ${sum}, not the line total ${lineTotal} (minor units)`,
      );
    }
  }
  const gross = invoice.netTotal + invoice.vatTotal;
  if (gross !== invoice.grossTotal) {
    problems.add(
      paths.grossTotal,
      `net ${invoice.netTotal} + VAT ${invoice.vatTotal} is ${gross}, not the total ${invoice.grossTotal} (minor units)`,
    );
  }
  const due = safeSum([invoice.grossTotal, -invoice.prepaid, rounding]);
  if (due === undefined) {
    problems.add(
      paths.amountDue,
      `total ${invoice.grossTotal} − prepaid ${invoice.prepaid} + rounding ${rounding} is beyond ${MAX_MINOR_UNITS} minor units, what is kept exactly`,
    );
  } else if (due !== invoice.amountDue) {
    problems.add(
      paths.amountDue,
      `total ${invoice.grossTotal} − prepaid ${invoice.prepaid} + rounding ${rounding} is ${due}, not the amount due ${invoice.amountDue} (minor units)`,
    );
  }
}

/** GTIN-8/12/13 written as the 14 digits the contract keeps (left-padded with zeros). */
export function toGtin14(text: string): string {
  const digits = text.trim();
  return /^\d{8}$|^\d{12,14}$/.test(digits) ? digits.padStart(14, "0") : digits;
}
