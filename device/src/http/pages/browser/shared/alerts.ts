import type { NodeAlert } from "@comptoir/contracts";
import { $, clear, h, isObj, isStr } from "@comptoir/contracts/browser";
import { hhmm } from "./format.js";

/** How many alerts the banner keeps; older ones are in the node's ledger. */
const SHOWN = 5;

/**
 * The alert banner at the top of the node's pages (`#alerts`): goods left
 * under credit hold (issue 15). Shown at once from the live `alert` event,
 * and from `GET /node` for a page opened later. Newest first; each can be
 * dismissed on this page (the ledger keeps it).
 */
const alerts: NodeAlert[] = [];
const dismissed = new Set<number>();

/** An alert with every field the banner shows (its text, order, time, offline mark, and the seq it is kept by). */
export const isAlert = (value: unknown): value is NodeAlert =>
  isObj(value) &&
  isStr(value.message) &&
  isStr(value.order) &&
  isStr(value.at) &&
  typeof value.offline === "boolean" &&
  Number.isSafeInteger(value.seq);

/** The alerts a page found at load (`GET /node`), newest first; one of another shape is left out. */
export function showAlerts(initial: readonly unknown[] | undefined): void {
  for (const alert of [...(initial ?? [])].reverse()) if (isAlert(alert)) keep(alert);
  render();
}

/** An alert the node just raised. */
export function addAlert(alert: NodeAlert): void {
  keep(alert);
  render();
}

function keep(alert: NodeAlert): void {
  if (alerts.some((known) => known.seq === alert.seq)) return;
  alerts.unshift(alert);
  alerts.splice(SHOWN);
}

function render(): void {
  const banner = $("#alerts");
  const shown = alerts.filter((alert) => !dismissed.has(alert.seq));
  clear(banner, ...shown.map(alertLine));
  banner.hidden = shown.length === 0;
}

function alertLine(alert: NodeAlert): HTMLElement {
  const when = hhmm(alert.at);
  return h(
    "p",
    { className: "alert", dataset: { order: alert.order, seq: String(alert.seq) } },
    h("strong", { className: "alert-text" }, alert.message),
    h(
      "span",
      { className: "when" },
      ` ${when}${alert.offline ? " (while offline, from the node's cached order state)" : ""}`,
    ),
    h(
      "button",
      {
        type: "button",
        className: "dismiss",
        "aria-label": `dismiss the alert for ${alert.order}`,
        onclick: () => {
          dismissed.add(alert.seq);
          render();
        },
      },
      "\u00d7",
    ),
  );
}
