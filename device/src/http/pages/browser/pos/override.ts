import type {
  BelowCostLine,
  OverrideRequest,
  PosLineRequest,
  PosPerson,
  PosSupervisors,
  SaleRequest,
  Sold,
} from "@comptoir/contracts";
import { $, clear, h, messageOf } from "@comptoir/contracts/browser";
import { ApiError, api } from "../shared/api.js";
import { money } from "../shared/format.js";
import { say, sayError } from "../shared/status.js";
import { showAnswer, showSold } from "./answer.js";
import { saleLines } from "./basket.js";
import { rememberCheck } from "./checked.js";
import { choiceButton } from "./choices.js";
import { loadStanding } from "./customer.js";
import { named } from "./names.js";
import { productName, till } from "./state.js";

/**
 * The override dialog: a supervisor completes a blocked on-account sale,
 * or a sale with lines under cost that the node's policy blocks. They pick
 * themselves and a reason by touch and type their PIN on the pad. The
 * dialog names the customer and the amount they approve (and the lines
 * under cost): the basket as it was when the dialog opened, which is
 * exactly what the approval sends.
 */

const REASONS = [
  "payment promised today",
  "payment received, not yet posted",
  "long-standing customer",
];
const BELOW_COST_REASONS = ["clearance", "price matched", "damaged packaging"];
const PAD_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "\u232b"];

let pin = "";
let supervisor: PosPerson | null = null;
/**
 * What the dialog was opened for: an on-account sale blocked for credit
 * (POST /pos/override, which also covers lines under cost), or a sale
 * blocked for lines under cost only (the same sale again, approved).
 */
type Subject =
  | { kind: "credit"; customer: string; lines: PosLineRequest[] }
  | {
      kind: "below-cost";
      customer: string | null;
      payment: SaleRequest["payment"];
      lines: PosLineRequest[];
    };
let subject: Subject | null = null;

function dots(): void {
  $("#pin-dots").textContent = "\u2022".repeat(pin.length);
}

function press(key: string): void {
  // A new key starts a new attempt: the last answer ("wrong PIN") no longer applies.
  $("#override-status").textContent = "";
  if (key === "C") pin = "";
  else if (key === "\u232b") pin = pin.slice(0, -1);
  else if (pin.length < 12) pin += key;
  dots();
}

/** "Oak chair: 150.00 EUR < cost 160.00 EUR", one item a line under cost. */
function underCostList(under: BelowCostLine[], currency: string | null): HTMLElement[] {
  return under.map((u) =>
    h(
      "li",
      { dataset: { sku: u.sku } },
      `${productName(u.sku)}: ${money(u.unitPrice, currency)} < cost ${money(u.unitCost, currency)}`,
    ),
  );
}

async function openOverride(): Promise<void> {
  if (!till.customer) {
    say("pick the customer first", "error");
    return;
  }
  await openDialog({ kind: "credit", customer: till.customer, lines: saleLines() });
}

/** The node refused a sale for lines under cost: a supervisor may approve that same sale. */
export function openBelowCostOverride(
  payment: SaleRequest["payment"],
  customer: string | null,
  lines: PosLineRequest[],
): Promise<void> {
  return openDialog({ kind: "below-cost", customer, payment, lines });
}

async function openDialog(next: Subject): Promise<void> {
  pin = "";
  supervisor = null;
  subject = next;
  dots();
  $("#override-status").textContent = "";
  const basket = till.basket;
  const how = next.kind === "credit" || next.payment === "account" ? "on account" : "cash";
  $("#override-title").textContent =
    next.kind === "credit" ? "Supervisor override" : "Sale under cost";
  clear(
    $("#override-for"),
    ...(next.customer ? named(next.customer) : []),
    h("span", { className: "amount" }, `${money(basket.total, basket.currency)} ${how}`),
  );
  clear($("#override-under"), ...underCostList(basket.belowCost ?? [], basket.currency));
  const reason = $<HTMLInputElement>("#override-reason");
  reason.value = "";
  const { supervisors } = await api<PosSupervisors>("GET", "/pos/supervisors");
  const box = $("#supervisors");
  clear(
    box,
    ...supervisors.map((s) =>
      choiceButton(box, s.name, { supervisor: s.id }, () => {
        supervisor = s;
      }),
    ),
  );
  const presets = $("#reasons-preset");
  clear(
    presets,
    ...(next.kind === "credit" ? REASONS : BELOW_COST_REASONS).map((text) =>
      choiceButton(presets, text, {}, () => {
        reason.value = text;
      }),
    ),
  );
  $<HTMLDialogElement>("#override-dialog").showModal();
}

async function approve(): Promise<void> {
  const status = $("#override-status");
  if (!supervisor) {
    status.textContent = "choose the supervisor";
    return;
  }
  const reason = $<HTMLInputElement>("#override-reason").value.trim();
  if (reason.length < 3) {
    status.textContent = "choose or give a reason";
    return;
  }
  if (!subject) {
    status.textContent = "pick the customer first";
    return;
  }
  const approved = { supervisor: supervisor.id, pin, reason };
  try {
    const result = await send(subject, approved);
    $<HTMLDialogElement>("#override-dialog").close();
    showSold(result);
    say(`override by ${supervisor.name}: sale ${result.sale.id} recorded`, "ok");
    await loadStanding();
  } catch (error) {
    pin = "";
    dots();
    const decision = error instanceof ApiError ? error.body?.decision : undefined;
    if (decision && subject.customer) {
      // Cost approved, then credit blocked: the verdict offers cash or the credit override.
      $<HTMLDialogElement>("#override-dialog").close();
      rememberCheck({ customer: subject.customer, lines: subject.lines, decision });
      showAnswer(decision, subject.customer);
      say("on account blocked: nothing was sold", "error");
      return;
    }
    status.textContent = messageOf(error);
  }
}

function send(
  subject: Subject,
  approved: { supervisor: string; pin: string; reason: string },
): Promise<Sold> {
  if (subject.kind === "credit") {
    const body: OverrideRequest = { customer: subject.customer, lines: subject.lines, ...approved };
    return api<Sold>("POST", "/pos/override", body);
  }
  const body: SaleRequest = {
    payment: subject.payment,
    lines: subject.lines,
    belowCostOverride: approved,
  };
  if (subject.customer) body.customer = subject.customer;
  return api<Sold>("POST", "/pos/sale", body);
}

/** Builds the PIN pad and wires the dialog's buttons. */
export function setupOverride(): void {
  const pad = $("#pinpad");
  for (const key of PAD_KEYS)
    pad.append(h("button", { type: "button", dataset: { key }, onclick: () => press(key) }, key));
  $("#override").addEventListener("click", () => openOverride().catch(sayError));
  $("#override-cancel").addEventListener("click", () =>
    $<HTMLDialogElement>("#override-dialog").close(),
  );
  $("#override-ok").addEventListener("click", () => void approve());
}
