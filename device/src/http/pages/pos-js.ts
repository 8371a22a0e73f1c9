/** The POS page's script, served as the ES module `/pos/pos.js`. */
export const POS_JS = String.raw`
import { $, api, clear, h, say, sayError, setClerkSession, showNode, stream } from "/assets/common.js";

const REASONS = ["payment promised today", "payment received, not yet posted", "long-standing customer"];
let customer = null;
let standing = null;
let basket = { lines: [], unpriced: [], total: 0, currency: null };
let lastDecision = null;
let online = false;
let pin = "";
let supervisor = null;

// Clerk sign-in: the clerk picks their name and types their PIN; the sale
// records who signed in (the node takes it from the session, not from here).
let signedIn = null;
const signinDialog = $("#signin-dialog");
function showClerk() {
  $("#clerk-name").textContent = signedIn ? signedIn.name : "no clerk signed in";
  $("#sign-in").hidden = Boolean(signedIn);
  $("#sign-out").hidden = !signedIn;
}
async function openSignIn() {
  let chosen = null;
  $("#signin-pin").value = "";
  $("#signin-status").textContent = "";
  const { clerks } = await api("GET", "/pos/clerks");
  const box = $("#clerks");
  clear(box, ...clerks.map((c) => {
    const b = h("button", { type: "button", dataset: { clerk: c.id }, "aria-pressed": "false" }, c.name);
    b.addEventListener("click", () => { chosen = c; choose(box, b); });
    return b;
  }));
  $("#signin-ok").onclick = async () => {
    const status = $("#signin-status");
    if (!chosen) { status.textContent = "choose your name"; return; }
    try {
      const result = await api("POST", "/pos/clerk/sign-in", { clerk: chosen.id, pin: $("#signin-pin").value });
      setClerkSession(result.session);
      signedIn = result.clerk;
      signinDialog.close();
      showClerk();
      say(result.clerk.name + " signed in", "ok");
    } catch (error) {
      $("#signin-pin").value = "";
      status.textContent = error.body && error.body.error ? error.body.error.message : String(error.message || error);
    }
  };
  signinDialog.showModal();
}
$("#sign-in").addEventListener("click", () => openSignIn().catch(sayError));
$("#signin-cancel").addEventListener("click", () => signinDialog.close());
$("#sign-out").addEventListener("click", async () => {
  await api("POST", "/pos/clerk/sign-out").catch(() => undefined);
  setClerkSession(null);
  signedIn = null;
  showClerk();
});
/** A sale, check or override needs a signed-in clerk: ask for the sign-in first. */
function needClerk() {
  if (signedIn) return false;
  say("a clerk signs in first", "error");
  openSignIn().catch(sayError);
  return true;
}
function clerkExpired(error) {
  if (error.body && error.body.error && error.body.error.code === "clerk_not_signed_in") {
    signedIn = null;
    setClerkSession(null);
    showClerk();
  }
}
showClerk();

function money(minor, currency) {
  if (minor === null || minor === undefined) return "unlimited";
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return sign + whole + "." + String(abs % 100).padStart(2, "0") + (currency ? " " + currency : "");
}

function hhmm(iso) {
  const d = new Date(iso);
  return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
}

function showLink() {
  const link = $("#link");
  link.textContent = online ? "online" : "offline";
  link.dataset.kind = online ? "ok" : "error";
  const banner = $("#offline");
  const old = standing && (standing.stale || !online);
  banner.hidden = !old;
  banner.textContent = old ? "offline \u2014 credit data from " + hhmm(standing.asOf) : "";
}

async function searchCustomers() {
  const q = $("#search").value;
  const { customers } = await api("GET", "/pos/customers?q=" + encodeURIComponent(q));
  clear($("#customers"), ...customers.map((c) =>
    h("li", {}, h("button", { type: "button", dataset: { customer: c.customer }, onclick: () => pick(c.customer) },
      c.name || c.customer, h("span", { className: "id" }, c.customer)))));
}

async function pick(id) {
  customer = id;
  await loadStanding();
  $("#customers").hidden = true;
  $("#search").hidden = true;
  $("#figures").hidden = false;
}

async function loadStanding() {
  if (!customer) return;
  standing = await api("GET", "/pos/customers/" + encodeURIComponent(customer));
  const cur = standing.currency;
  $("#customer-name").textContent = (standing.name || standing.customer) + " \u00b7 " + standing.customer;
  $("#f-limit").textContent = money(standing.limit, cur);
  $("#f-exposure").textContent = money(standing.exposure, cur);
  $("#f-available").textContent = money(standing.available, cur);
  $("#f-available").className = standing.available !== null && standing.available <= 0 ? "bad" : "";
  $("#f-overdue").textContent = money(standing.overdue, cur) + (standing.overdueSince ? " since " + standing.overdueSince : "");
  $("#f-overdue").className = standing.overdue > 0 ? "bad" : "";
  showLink();
}

$("#change-customer").addEventListener("click", () => {
  customer = null;
  standing = null;
  $("#figures").hidden = true;
  $("#customers").hidden = false;
  $("#search").hidden = false;
  showLink();
  searchCustomers().catch(sayError);
});
$("#search").addEventListener("input", () => searchCustomers().catch(sayError));

function showBasket(next) {
  basket = next;
  $("#total").textContent = money(basket.total, basket.currency);
  clear($("#lines"), ...basket.lines.map((line) =>
    h("li", { dataset: { sku: line.sku } },
      h("span", { className: "name" }, line.quantity + " \u00d7 " + (line.name || line.sku)),
      h("span", { className: "amount" }, money(line.lineTotal)),
      h("button", { type: "button", className: "quiet", "aria-label": "remove one " + line.sku, onclick: () => removeOne(line) }, "\u2212"))));
  clear($("#unpriced"), ...basket.unpriced.map((item) =>
    h("li", { dataset: { epc: item.epc } }, "not in catalog: ", h("code", {}, item.epc),
      h("button", { type: "button", className: "quiet", "aria-label": "remove " + item.epc, onclick: () => edit("/pos/basket/remove", { epc: item.epc }) }, "\u00d7"))));
  const empty = basket.lines.length === 0;
  for (const id of ["#check", "#sell-account", "#sell-cash"]) $(id).disabled = empty;
}

async function edit(path, body) {
  try {
    showBasket(await api("POST", path, body));
  } catch (error) {
    sayError(error);
  }
}

function removeOne(line) {
  if (line.epcs.length > 0) return edit("/pos/basket/remove", { epc: line.epcs[line.epcs.length - 1] });
  return edit("/pos/basket/remove", { gtin: line.gtin });
}

$("#add-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const gtin = $("#gtin").value.trim();
  if (!gtin) return;
  await edit("/pos/basket/add", { gtin, quantity: 1 });
  $("#gtin").value = "";
});

function saleLines() {
  return basket.lines.map((line) =>
    line.epcs.length > 0 ? { sku: line.sku, epcs: line.epcs } : { sku: line.sku, quantity: line.quantity });
}

function showAnswer(decision, extra) {
  lastDecision = decision;
  const box = $("#answer");
  box.hidden = false;
  box.dataset.decision = decision.decision;
  $("#verdict").textContent = (decision.decision === "approve" ? "APPROVED" : "BLOCKED") + (extra ? " \u00b7 " + extra : "");
  clear($("#reasons"), ...decision.reasons.map((r) => h("li", { dataset: { code: r.code } }, r.message)));
  $("#override").hidden = decision.decision !== "block";
}

function showSold(result) {
  const box = $("#answer");
  box.hidden = false;
  box.dataset.decision = "approve";
  $("#verdict").textContent = "SOLD \u00b7 " + money(result.sale.total, result.sale.currency);
  clear($("#reasons"), h("li", {}, (result.sale.payment === "cash" ? "cash" : "on account of " + result.sale.customer) + " \u00b7 sale " + result.sale.id));
  $("#override").hidden = true;
}

$("#dismiss").addEventListener("click", () => { $("#answer").hidden = true; });

function needCustomer() {
  if (customer) return false;
  say("pick the customer first", "error");
  return true;
}

$("#check").addEventListener("click", async () => {
  if (needCustomer() || needClerk()) return;
  try {
    showAnswer(await api("POST", "/pos/check", { customer, lines: saleLines() }));
  } catch (error) {
    clerkExpired(error);
    sayError(error);
  }
});

async function sell(payment) {
  if (needClerk()) return;
  const body = { payment, lines: saleLines() };
  if (customer) body.customer = customer;
  try {
    const result = await api("POST", "/pos/sale", body);
    showSold(result);
    say("sale " + result.sale.id + " recorded", "ok");
    await loadStanding();
  } catch (error) {
    if (error.body && error.body.decision) {
      showAnswer(error.body.decision);
      say("on-account sale blocked: nothing was sold", "error");
    } else {
      clerkExpired(error);
      sayError(error);
    }
  }
}

$("#sell-account").addEventListener("click", () => { if (!needCustomer()) sell("account"); });
$("#sell-cash").addEventListener("click", () => sell("cash"));

// The override dialog: pick the supervisor and a reason by touch, the PIN on the pad.
const dialog = $("#override-dialog");
function dots() { $("#pin-dots").textContent = "\u2022".repeat(pin.length); }
function choose(container, button) {
  for (const b of container.querySelectorAll("button")) b.setAttribute("aria-pressed", b === button ? "true" : "false");
}
async function openOverride() {
  pin = "";
  supervisor = null;
  dots();
  $("#override-status").textContent = "";
  $("#override-reason").value = "";
  const { supervisors } = await api("GET", "/pos/supervisors");
  const box = $("#supervisors");
  clear(box, ...supervisors.map((s) => {
    const b = h("button", { type: "button", dataset: { supervisor: s.id }, "aria-pressed": "false" }, s.name);
    b.addEventListener("click", () => { supervisor = s.id; choose(box, b); });
    return b;
  }));
  const presets = $("#reasons-preset");
  clear(presets, ...REASONS.map((text) => {
    const b = h("button", { type: "button", "aria-pressed": "false" }, text);
    b.addEventListener("click", () => { $("#override-reason").value = text; choose(presets, b); });
    return b;
  }));
  dialog.showModal();
}
const pad = $("#pinpad");
for (const key of ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "\u232b"]) {
  pad.append(h("button", { type: "button", dataset: { key }, onclick: () => {
    if (key === "C") pin = "";
    else if (key === "\u232b") pin = pin.slice(0, -1);
    else if (pin.length < 12) pin += key;
    dots();
  } }, key));
}
$("#override").addEventListener("click", () => openOverride().catch(sayError));
$("#override-cancel").addEventListener("click", () => dialog.close());
$("#override-ok").addEventListener("click", async () => {
  const status = $("#override-status");
  if (!supervisor) { status.textContent = "choose the supervisor"; return; }
  const reason = $("#override-reason").value.trim();
  if (reason.length < 3) { status.textContent = "choose or give a reason"; return; }
  try {
    const result = await api("POST", "/pos/override", { customer, supervisor, pin, reason, lines: saleLines() });
    dialog.close();
    showSold(result);
    say("override by " + supervisor + ": sale " + result.sale.id + " recorded", "ok");
    await loadStanding();
  } catch (error) {
    pin = "";
    dots();
    status.textContent = error.body && error.body.error ? error.body.error.message : String(error.message || error);
  }
});

function events() {
  const handlers = {};
  const on = (type, handler) => { handlers[type] = handler; };
  stream(
    "/pos/events",
    (type, event) => {
      try { if (handlers[type]) handlers[type](event); } catch (error) { sayError(error); }
    },
    (state) => { if (state === "error") { online = false; showLink(); $("#link").textContent = "reconnecting\u2026"; } },
  );
  on("hello", (event) => { online = event.online; showLink(); api("GET", "/pos/basket").then(showBasket, sayError); });
  on("link", (event) => { online = event.online; loadStanding().then(showLink, sayError); });
  on("basket", (event) => showBasket(event.basket));
  on("credit", (event) => {
    if (event.customer === customer) loadStanding().catch(sayError);
    else if (!customer) searchCustomers().catch(sayError);
  });
}

showNode().catch(sayError);
events();
Promise.all([searchCustomers(), api("GET", "/pos/basket").then(showBasket)]).then(
  () => { document.body.dataset.ready = "true"; },
  sayError,
);
// The snapshot ages while nobody touches the screen: refresh the figures and the offline line.
setInterval(() => (customer ? loadStanding().catch(sayError) : showLink()), 30000);
`;
