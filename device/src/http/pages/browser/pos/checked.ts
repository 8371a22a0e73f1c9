import type { PosLineRequest, RecordedDecision } from "@comptoir/contracts";

/**
 * The basket a verdict is about: "Sell now" sells exactly these lines, and
 * only while the customer and the basket on the counter are still the ones
 * checked — otherwise the page checks again first.
 */
export interface CheckedBasket {
  customer: string;
  lines: PosLineRequest[];
  decision: RecordedDecision;
}

let checked: CheckedBasket | null = null;

export function rememberCheck(value: CheckedBasket | null): void {
  checked = value;
}

export function lastCheck(): CheckedBasket | null {
  return checked;
}

/** The lines as a set: the node may list the same tags in another order after a re-read. */
function key(lines: PosLineRequest[]): string {
  return lines
    .map((line) =>
      JSON.stringify([
        line.sku ?? "",
        line.gtin ?? "",
        [...(line.epcs ?? [])].sort(),
        line.quantity ?? 0,
      ]),
    )
    .sort()
    .join("\n");
}

/** Same customer, same lines (the same tags, or the same quantities of the same products). */
export function stillChecked(customer: string | null, lines: PosLineRequest[]): boolean {
  return checked !== null && checked.customer === customer && key(checked.lines) === key(lines);
}
