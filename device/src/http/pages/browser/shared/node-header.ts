import type { NodeHealthView, NodeInfo } from "@comptoir/contracts";
import { $, h } from "@comptoir/contracts/browser";
import { api } from "./api.js";
import { useSiteFormat } from "./format.js";

/**
 * Names the node and its role in the header (`#node`), adopts the site's
 * locale and currency for the page, and starts watching its chain.
 */
export async function showNode(): Promise<NodeInfo> {
  const node = await api<NodeInfo>("GET", "/node");
  // Before anything is written: money and dates in the site's locale (the gateway's once heard).
  useSiteFormat(node.format);
  $("#node").textContent = `${node.node} \u00b7 ${node.role}`;
  watchChain();
  return node;
}

// Issue 13, item 16: when the gateway said it stores nothing of this node's chain from a seq
// on, every page says so at the top (from /health, checked at load and every 30 s).
let chainWatched = false;
function watchChain(): void {
  if (chainWatched) return;
  chainWatched = true;
  const check = () => showChain().catch(() => {});
  void check();
  setInterval(check, 30000);
}

/** The chain part of /health (answered 503 too), when the body has one. */
function chainOf(body: unknown): NodeHealthView["parts"][string] | undefined {
  if (typeof body !== "object" || body === null || !("parts" in body)) return undefined;
  const parts = body.parts;
  if (typeof parts !== "object" || parts === null || !("chain" in parts)) return undefined;
  const chain = parts.chain;
  if (typeof chain !== "object" || chain === null || !("ok" in chain)) return undefined;
  if (typeof chain.ok !== "boolean") return undefined;
  const detail = "detail" in chain && typeof chain.detail === "string" ? chain.detail : undefined;
  return { ok: chain.ok, ...(detail !== undefined ? { detail } : {}) };
}

async function showChain(): Promise<void> {
  const response = await fetch("/health", { headers: { accept: "application/json" } });
  const chain = chainOf(await response.json().catch(() => null));
  let banner = document.getElementById("chain");
  if (!chain || chain.ok) {
    if (banner) banner.remove();
    return;
  }
  if (!banner) {
    banner = h("p", { id: "chain" });
    banner.setAttribute("role", "alert");
    document.body.prepend(banner);
  }
  banner.textContent = `Ledger ${chain.detail}. Tell the site's administrator.`;
}
