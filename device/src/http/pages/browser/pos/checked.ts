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

/** Same customer, same lines (tags or quantities, in the same order the node priced them). */
export function stillChecked(customer: string | null, lines: PosLineRequest[]): boolean {
  return (
    checked !== null &&
    checked.customer === customer &&
    JSON.stringify(checked.lines) === JSON.stringify(lines)
  );
}
