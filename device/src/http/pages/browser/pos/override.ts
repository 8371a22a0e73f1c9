import type {
  OverrideRequest,
  PosLineRequest,
  PosPerson,
  PosSupervisors,
  Sold,
} from "@comptoir/contracts";
import { $, clear, h, messageOf } from "@comptoir/contracts/browser";
import { api } from "../shared/api.js";
import { say, sayError } from "../shared/status.js";
import { showSold } from "./answer.js";
import { saleLines } from "./basket.js";
import { choiceButton } from "./choices.js";
import { loadStanding } from "./customer.js";
import { money } from "./money.js";
import { named } from "./names.js";
import { till } from "./state.js";

/**
 * The override dialog: a supervisor completes a blocked on-account sale.
 * They pick themselves and a reason by touch and type their PIN on the pad.
 * The dialog names the customer and the amount they approve: the basket as
 * it was when the dialog opened, which is exactly what the approval sends.
 */

const REASONS = [
  "payment promised today",
  "payment received, not yet posted",
  "long-standing customer",
];
const PAD_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "\u232b"];

let pin = "";
let supervisor: PosPerson | null = null;
/** The customer and basket the dialog was opened for. */
let subject: { customer: string; lines: PosLineRequest[] } | null = null;

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

async function openOverride(): Promise<void> {
  if (!till.customer) {
    say("pick the customer first", "error");
    return;
  }
  pin = "";
  supervisor = null;
  subject = { customer: till.customer, lines: saleLines() };
  dots();
  $("#override-status").textContent = "";
  const basket = till.basket;
  clear(
    $("#override-for"),
    ...named(subject.customer),
    h("span", { className: "amount" }, `${money(basket.total, basket.currency)} on account`),
  );
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
    ...REASONS.map((text) =>
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
  try {
    const body: OverrideRequest = {
      customer: subject.customer,
      supervisor: supervisor.id,
      pin,
      reason,
      lines: subject.lines,
    };
    const result = await api<Sold>("POST", "/pos/override", body);
    $<HTMLDialogElement>("#override-dialog").close();
    showSold(result);
    say(`override by ${supervisor.name}: sale ${result.sale.id} recorded`, "ok");
    await loadStanding();
  } catch (error) {
    pin = "";
    dots();
    status.textContent = messageOf(error);
  }
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
