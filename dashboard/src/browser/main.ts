/**
 * The dashboard's entry: sign-in with a token (kept in sessionStorage, so
 * only for this tab), the pages the token's role may see, hash routing, and
 * the live feed.
 */
import { $, ApiError, api, h, isObj, isStr, keepToken, messageOf, say, session } from "./core.js";
import { changed, loadAll, onChange } from "./data.js";
import { discrepanciesPage } from "./discrepancies.js";
import { startLive, stopLive } from "./live.js";
import { movementsPage } from "./movements.js";
import { nodesPage } from "./nodes.js";
import { ordersPage } from "./orders.js";
import { overviewPage } from "./overview.js";
import type { Page } from "./page.js";
import { receivablesPage } from "./receivables.js";
import { stockPage } from "./stock.js";
import { valuePage } from "./value.js";

const PAGES: readonly Page[] = [
  overviewPage,
  stockPage,
  movementsPage,
  nodesPage,
  discrepanciesPage,
  ordersPage,
  receivablesPage,
  valuePage,
];
const TOKEN = /^[\x21-\x7e]{1,200}$/;
let current: Page | null = null;

function route(): void {
  const wanted = location.hash.replace(/^#\/?/, "") || "overview";
  const page = PAGES.find((p) => p.id === wanted && session.pages.includes(p.id)) || overviewPage;
  current?.unmount?.();
  current = page;
  for (const link of document.querySelectorAll<HTMLElement>("#nav a")) {
    if (link.dataset.page === page.id) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const root = $("#page");
  root.replaceChildren();
  document.body.dataset.page = page.id;
  say("");
  page.mount(root);
}

onChange((topics) => {
  if (!current?.refresh) return;
  if (topics.has("loaded")) {
    current.refresh();
    // Everything loaded is on screen: the first render ends here (comptoir bench dashboard reads the mark).
    if (document.body.dataset.ready !== "true") performance.mark("comptoir:ready");
    document.body.dataset.ready = "true";
  } else if (current.topics.some((t) => topics.has(t))) current.refresh(topics);
});

function showSignIn(message?: string): void {
  stopLive();
  $("#sign-in").hidden = false;
  $("#page").replaceChildren();
  $("#nav").replaceChildren();
  $("#sign-out").hidden = true;
  // Nobody signed in: no feed to be on or off.
  $("#live").hidden = true;
  $("#who").textContent = "";
  $("#sign-in-error").textContent = message || "";
  document.body.dataset.ready = "signin";
  $("#token").focus();
}

async function start(): Promise<void> {
  let who: unknown;
  try {
    who = await api("/dashboard/session");
  } catch (error) {
    keepToken(null);
    showSignIn(
      error instanceof ApiError && error.status === 401
        ? error.message
        : `cannot reach the gateway: ${messageOf(error)}`,
    );
    return;
  }
  if (
    !isObj(who) ||
    !isStr(who.role) ||
    !Array.isArray(who.pages) ||
    !Array.isArray(who.permissions)
  ) {
    showSignIn("the gateway answered something unexpected: is this a Comptoir gateway?");
    return;
  }
  session.role = who.role;
  session.pages = who.pages.filter(isStr);
  session.permissions = who.permissions.filter(isStr);
  $("#sign-in").hidden = true;
  $("#sign-out").hidden = false;
  $("#live").hidden = false;
  // Who is signed in: the token's name (what the admin called it); the role on hover.
  const who_ = $("#who");
  who_.textContent = isStr(who.name) && who.name ? who.name : who.role;
  who_.title = `role: ${who.role}`;
  $("#nav").replaceChildren(
    ...PAGES.filter((p) => session.pages.includes(p.id)).map((p) =>
      h("a", { href: `#/${p.id}`, dataset: { page: p.id } }, p.title),
    ),
  );
  route();
  startLive();
  try {
    await loadAll();
  } catch (error) {
    say(`could not load everything: ${messageOf(error)}`, "error");
    changed("loaded");
  }
}

$("#sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>("#token");
  const token = input.value.trim();
  if (!TOKEN.test(token)) {
    $("#sign-in-error").textContent = "a token is 1 to 200 printable characters without spaces";
    return;
  }
  input.value = "";
  keepToken(token);
  start();
});
$("#sign-out").addEventListener("click", () => {
  // A fresh page: nothing of this role's data stays behind for the next one.
  keepToken(null);
  location.hash = "";
  location.reload();
});
window.addEventListener("hashchange", () => {
  if (session.role) route();
});

if (session.token) start();
else showSignIn();
