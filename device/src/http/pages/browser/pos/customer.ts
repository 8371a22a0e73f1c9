import type { PosCustomers, PosStanding } from "@comptoir/contracts";
import { $, clear, h } from "@comptoir/contracts/browser";
import { api } from "../shared/api.js";
import { date, hhmm, money } from "../shared/format.js";
import { sayError } from "../shared/status.js";
import { learnName, named } from "./names.js";
import { till } from "./state.js";

/** The link state (`#link`) and, when the figures are old, the offline line above them. */
export function showLink(): void {
  const link = $("#link");
  link.textContent = till.online ? "online" : "offline";
  link.dataset.kind = till.online ? "ok" : "error";
  const banner = $("#offline");
  const standing = till.standing;
  const old = standing !== null && (standing.stale || !till.online);
  banner.hidden = !old;
  banner.textContent = !old
    ? ""
    : standing.clockUnsynced && !till.online
      ? `offline \u2014 this till's clock is not synchronised yet: the age of the credit data from ${hhmm(standing.asOf)} cannot be known, so sales on account are blocked`
      : `offline \u2014 credit data from ${hhmm(standing.asOf)}`;
}

export async function searchCustomers(): Promise<void> {
  const q = $<HTMLInputElement>("#search").value;
  const { customers } = await api<PosCustomers>("GET", `/pos/customers?q=${encodeURIComponent(q)}`);
  for (const c of customers) learnName(c.customer, c.name);
  clear(
    $("#customers"),
    ...customers.map((c) =>
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", dataset: { customer: c.customer }, onclick: () => pick(c.customer) },
          c.name || c.customer,
          h("span", { className: "id" }, c.customer),
        ),
      ),
    ),
  );
}

async function pick(id: string): Promise<void> {
  till.customer = id;
  await loadStanding();
  $("#customers").hidden = true;
  $("#search").hidden = true;
  $("#figures").hidden = false;
}

function showFigures(standing: PosStanding): void {
  const cur = standing.currency;
  clear($("#customer-name"), ...named(standing.customer));
  $("#f-limit").textContent = money(standing.limit, cur);
  $("#f-exposure").textContent = money(standing.exposure, cur);
  const available = $("#f-available");
  available.textContent = money(standing.available, cur);
  available.className = standing.available !== null && standing.available <= 0 ? "bad" : "";
  const overdue = $("#f-overdue");
  overdue.textContent =
    money(standing.overdue, cur) +
    (standing.overdueSince ? ` since ${date(standing.overdueSince)}` : "");
  overdue.className = standing.overdue > 0 ? "bad" : "";
}

/** Fetches the picked customer's standing and shows their figures. */
export async function loadStanding(): Promise<void> {
  if (!till.customer) return;
  till.standing = await api<PosStanding>(
    "GET",
    `/pos/customers/${encodeURIComponent(till.customer)}`,
  );
  learnName(till.standing.customer, till.standing.name);
  showFigures(till.standing);
  showLink();
}

/** Wires the customer search and the "change customer" button. */
export function setupCustomer(): void {
  $("#change-customer").addEventListener("click", () => {
    till.customer = null;
    till.standing = null;
    $("#figures").hidden = true;
    $("#customers").hidden = false;
    $("#search").hidden = false;
    showLink();
    searchCustomers().catch(sayError);
  });
  $("#search").addEventListener("input", () => searchCustomers().catch(sayError));
}
