import type { CheckRequest, RecordedDecision, SaleRequest, Sold } from "@comptoir/contracts";
import { $ } from "@comptoir/contracts/browser";
import { ApiError, api } from "../shared/api.js";
import { say, sayError } from "../shared/status.js";
import { showAnswer, showSold } from "./answer.js";
import { saleLines } from "./basket.js";
import { clerkExpired, needClerk } from "./clerk.js";
import { loadStanding } from "./customer.js";
import { till } from "./state.js";

/** Check credit, sell on account, sell for cash. */

function needCustomer(): boolean {
  if (till.customer) return false;
  say("pick the customer first", "error");
  return true;
}

async function check(customer: string): Promise<void> {
  try {
    const body: CheckRequest = { customer, lines: saleLines() };
    showAnswer(await api<RecordedDecision>("POST", "/pos/check", body));
  } catch (error) {
    clerkExpired(error);
    sayError(error);
  }
}

async function sell(payment: SaleRequest["payment"]): Promise<void> {
  if (needClerk()) return;
  const body: SaleRequest = { payment, lines: saleLines() };
  if (till.customer) body.customer = till.customer;
  try {
    const result = await api<Sold>("POST", "/pos/sale", body);
    showSold(result);
    say(`sale ${result.sale.id} recorded`, "ok");
    await loadStanding();
  } catch (error) {
    const decision = error instanceof ApiError ? error.body?.decision : undefined;
    if (decision) {
      showAnswer(decision);
      say("on-account sale blocked: nothing was sold", "error");
    } else {
      clerkExpired(error);
      sayError(error);
    }
  }
}

export function setupSale(): void {
  $("#check").addEventListener("click", async () => {
    if (needCustomer() || needClerk() || !till.customer) return;
    await check(till.customer);
  });
  $("#sell-account").addEventListener("click", () => {
    if (!needCustomer()) void sell("account");
  });
  $("#sell-cash").addEventListener("click", () => void sell("cash"));
}
