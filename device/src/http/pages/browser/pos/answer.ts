import type { RecordedDecision, Sold } from "@comptoir/contracts";
import { $, clear, h } from "@comptoir/contracts/browser";
import { money } from "../shared/format.js";
import { named } from "./names.js";
import { productName } from "./state.js";

/**
 * The answer pane (`#answer`): the credit decision with every reason and
 * what the clerk may do next — sell now when approved; sell for cash or ask
 * a supervisor when blocked (a cash sale of the same basket is always
 * allowed) — or the sale recorded, as the receipt line.
 */

/** Who and how much, the customer by name with the id as secondary text. */
function showFor(customer: string | undefined, amount: string): void {
  clear(
    $("#verdict-for"),
    ...(customer ? named(customer) : []),
    h("span", { className: "amount" }, amount),
  );
}

function showActions(actions: { sellNow: boolean; blocked: boolean }): void {
  $("#sell-now").hidden = !actions.sellNow;
  $("#sell-for-cash").hidden = !actions.blocked;
  $("#override").hidden = !actions.blocked;
}

export function showAnswer(decision: RecordedDecision, customer: string, extra?: string): void {
  const box = $("#answer");
  box.hidden = false;
  box.dataset.decision = decision.decision;
  const approved = decision.decision === "approve";
  $("#verdict").textContent = approved ? "APPROVED" : "BLOCKED";
  $("#verdict-note").textContent = extra ?? "";
  showFor(customer, money(decision.figures.amount, decision.figures.currency));
  const currency = decision.figures.currency;
  clear(
    $("#reasons"),
    ...decision.reasons.map((r) => h("li", { dataset: { code: r.code } }, r.message)),
    // Not a credit reason: the lines priced under the next unit's cost, beside the verdict.
    ...(decision.belowCost ?? []).map((u) =>
      h(
        "li",
        { dataset: { code: "below-cost" } },
        `${productName(u.sku)} under cost: ${money(u.unitPrice, currency)} < ${money(u.unitCost, currency)}`,
      ),
    ),
  );
  showActions({ sellNow: approved, blocked: !approved });
}

export function showSold(result: Sold): void {
  const { sale } = result;
  const box = $("#answer");
  box.hidden = false;
  box.dataset.decision = "approve";
  $("#verdict").textContent = `SOLD \u00b7 ${money(sale.total, sale.currency)}`;
  $("#verdict-note").textContent = "";
  showFor(sale.customer, sale.payment === "cash" ? "cash" : "on account");
  clear($("#reasons"), h("li", {}, `sale ${sale.id}`));
  showActions({ sellNow: false, blocked: false });
}

export function setupAnswer(): void {
  $("#dismiss").addEventListener("click", () => {
    $("#answer").hidden = true;
  });
}
