import type { OrderState } from "@comptoir/contracts";
import { lineFigures, type OrderLineRow, type OrderProgress } from "./progress.js";

/** What an order's credit side says: the decision's state, and whether it was cancelled. */
export interface CreditSide {
  credit_state: "approved" | "held" | "released";
  cancelled: number;
}

/**
 * The state an order shows: cancelled > held > invoiced > shipped >
 * partially-shipped > its credit state. A held order stays held whatever
 * left under it (the breach is an alert, not a state).
 */
export function orderState(
  order: CreditSide,
  lines: readonly OrderLineRow[],
  progress: OrderProgress,
): OrderState {
  if (order.cancelled) return "cancelled";
  if (order.credit_state === "held") return "held";
  if (progress.invoicedAny) return "invoiced";
  const figures = lineFigures(lines, progress);
  if (figures.every((figure, index) => figure.shipped >= (lines[index]?.quantity ?? 0)))
    return "shipped";
  if (figures.some((figure) => figure.shipped > 0)) return "partially-shipped";
  return order.credit_state;
}
