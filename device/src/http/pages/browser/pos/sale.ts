import type {
  CheckRequest,
  PosLineRequest,
  RecordedDecision,
  SaleRequest,
  Sold,
} from "@comptoir/contracts";
import { $ } from "@comptoir/contracts/browser";
import { ApiError, api } from "../shared/api.js";
import { say, sayError } from "../shared/status.js";
import { showAnswer, showSold } from "./answer.js";
import { saleLines } from "./basket.js";
import { lastCheck, rememberCheck, stillChecked } from "./checked.js";
import { clerkExpired, needClerk } from "./clerk.js";
import { loadStanding } from "./customer.js";
import { nameOf } from "./names.js";
import { openBelowCostOverride } from "./override.js";
import { till } from "./state.js";

/** Check credit, sell on account, sell for cash; and the verdict's "sell now" and "sell for cash". */

function needCustomer(): boolean {
  if (till.customer) return false;
  say("pick the customer first", "error");
  return true;
}

async function check(customer: string, note?: string): Promise<void> {
  const lines = saleLines();
  try {
    const body: CheckRequest = { customer, lines };
    const decision = await api<RecordedDecision>("POST", "/pos/check", body);
    rememberCheck({ customer, lines, decision });
    showAnswer(decision, customer, note);
  } catch (error) {
    clerkExpired(error);
    sayError(error);
  }
}

/** A sale in flight: a second tap on a sell button waits for its answer instead of selling twice. */
let selling = false;

async function sell(payment: SaleRequest["payment"], lines: PosLineRequest[]): Promise<void> {
  if (selling || needClerk()) return;
  selling = true;
  try {
    await sellOnce(payment, lines);
  } finally {
    selling = false;
  }
}

async function sellOnce(payment: SaleRequest["payment"], lines: PosLineRequest[]): Promise<void> {
  const customer = till.customer;
  const body: SaleRequest = { payment, lines };
  if (customer) body.customer = customer;
  try {
    const result = await api<Sold>("POST", "/pos/sale", body);
    rememberCheck(null);
    showSold(result);
    const who = customer ? ` for ${nameOf(customer)}` : "";
    say(`sale ${result.sale.id} recorded${who}`, "ok");
    await loadStanding();
  } catch (error) {
    if (error instanceof ApiError && error.body?.error.code === "below_cost") {
      // The node's policy blocks lines under cost: a supervisor may approve this same sale.
      say(`${error.message}: nothing was sold`, "error");
      await openBelowCostOverride(payment, customer, lines).catch(sayError);
      return;
    }
    const decision = error instanceof ApiError ? error.body?.decision : undefined;
    if (decision && customer) {
      rememberCheck({ customer, lines, decision });
      showAnswer(decision, customer);
      say(`on account for ${nameOf(customer)} blocked: nothing was sold`, "error");
    } else {
      clerkExpired(error);
      sayError(error);
    }
  }
}

/**
 * "Sell now" after an approval: the on-account sale of exactly the basket
 * checked. A basket (or customer) that changed since is checked again first,
 * and the clerk sees that verdict: an unchecked basket is never sold from here.
 * (The node decides again when it records the sale, as for any sale.)
 */
async function sellNow(): Promise<void> {
  if (needCustomer() || needClerk() || !till.customer) return;
  const checked = lastCheck();
  if (!checked || !stillChecked(till.customer, saleLines())) {
    await check(till.customer, "the basket changed: checked again");
    return;
  }
  if (checked.decision.decision !== "approve") return;
  await sell("account", checked.lines);
}

export function setupSale(): void {
  $("#check").addEventListener("click", async () => {
    if (needCustomer() || needClerk() || !till.customer) return;
    await check(till.customer);
  });
  $("#sell-account").addEventListener("click", () => {
    if (!needCustomer()) void sell("account", saleLines());
  });
  $("#sell-cash").addEventListener("click", () => void sell("cash", saleLines()));
  $("#sell-now").addEventListener("click", () => void sellNow());
  // A block leaves the basket on the counter: the same basket may always be paid in cash.
  $("#sell-for-cash").addEventListener("click", () => void sell("cash", saleLines()));
}
