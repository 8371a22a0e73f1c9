import type { RecordedDecision, Sold } from "@comptoir/contracts";
import { $, clear, h } from "@comptoir/contracts/browser";
import { money } from "./money.js";

/** The answer pane (`#answer`): the credit decision with every reason, or the sale recorded. */

export function showAnswer(decision: RecordedDecision, extra?: string): void {
  const box = $("#answer");
  box.hidden = false;
  box.dataset.decision = decision.decision;
  $("#verdict").textContent =
    (decision.decision === "approve" ? "APPROVED" : "BLOCKED") + (extra ? ` \u00b7 ${extra}` : "");
  clear(
    $("#reasons"),
    ...decision.reasons.map((r) => h("li", { dataset: { code: r.code } }, r.message)),
  );
  $("#override").hidden = decision.decision !== "block";
}

export function showSold(result: Sold): void {
  const box = $("#answer");
  box.hidden = false;
  box.dataset.decision = "approve";
  $("#verdict").textContent = `SOLD \u00b7 ${money(result.sale.total, result.sale.currency)}`;
  const how = result.sale.payment === "cash" ? "cash" : `on account of ${result.sale.customer}`;
  clear($("#reasons"), h("li", {}, `${how} \u00b7 sale ${result.sale.id}`));
  $("#override").hidden = true;
}

export function setupAnswer(): void {
  $("#dismiss").addEventListener("click", () => {
    $("#answer").hidden = true;
  });
}
