/**
 * The Nodes page: each node's readers, last seen, its clock against the
 * gateway's, the head it reported against what the gateway has verified and
 * stored, its chain state, and a verify action.
 */
import type { NodeView } from "@comptoir/contracts";
import { ago, api, h, isObj, isStr, messageOf, num, type Obj, table, time } from "./core.js";
import { can, data } from "./data.js";
import type { Page } from "./page.js";

export type Health = "online" | "degraded" | "offline" | "broken";

/** One word for a node: broken (chain), offline, degraded (a reader not reading), online. */
export function nodeHealth(node: NodeView): Health {
  if (node.chain && node.chain.state === "broken") return "broken";
  if (node.status !== "online") return "offline";
  const readers = Array.isArray(node.readers) ? node.readers : [];
  if (readers.some((r) => !isObj(r) || r.state !== "reading")) return "degraded";
  return "online";
}
export const TONE: Readonly<Record<Health, string>> = {
  online: "ok",
  degraded: "warn",
  offline: "off",
  broken: "bad",
};

/** The last verdict of GET /audit/:node/verify per node, or why it could not be had. */
const verdicts = new Map<string, Obj>();

function chainCell(node: NodeView): HTMLElement {
  if (node.chain.state === "broken") {
    return h(
      "div",
      {},
      h(
        "span",
        { className: "badge", dataset: { tone: "bad" } },
        `broken at seq ${node.chain.seq}`,
      ),
      h(
        "div",
        { className: "sub detail" },
        node.chain.reason + (node.chain.detail ? ` — ${node.chain.detail}` : ""),
      ),
    );
  }
  return h("span", { className: "badge", dataset: { tone: "ok" } }, "ok");
}

function verdictText(v: Obj): string {
  if (v.error) return String(v.error);
  if (v.ok === true)
    return `verified ${num(v.count)} entries, head seq ${isObj(v.head) ? String(v.head.seq) : "?"}`;
  return `broken at seq ${String(v.seq)}: ${String(v.reason)}${isStr(v.detail) && v.detail ? ` — ${v.detail}` : ""}`;
}

function verifyCell(node: NodeView, refresh: () => void): HTMLElement {
  if (!can("audit:read")) return h("span", { className: "muted" }, "—");
  const verdict = verdicts.get(node.id);
  const button = h(
    "button",
    {
      type: "button",
      className: "verify",
      onclick: async () => {
        button.disabled = true;
        try {
          const answer = await api(`/audit/${encodeURIComponent(node.id)}/verify`);
          verdicts.set(node.id, isObj(answer) ? answer : { error: "an unexpected answer" });
        } catch (error) {
          verdicts.set(node.id, { error: `could not verify: ${messageOf(error)}` });
        }
        refresh();
      },
    },
    verdict ? "Verify again" : "Verify",
  );
  const tone = verdict ? (verdict.ok === true ? "ok" : "bad") : "";
  return h(
    "div",
    {},
    button,
    verdict
      ? h("div", { className: "verdict sub", dataset: { tone } }, verdictText(verdict))
      : null,
  );
}

function readersCell(node: NodeView): HTMLElement | HTMLElement[] {
  const readers = Array.isArray(node.readers) ? node.readers : [];
  if (readers.length === 0)
    return h("span", { className: "muted" }, node.status === "online" ? "none reported" : "—");
  return readers
    .filter(isObj)
    .map((r) =>
      h(
        "div",
        {},
        h(
          "span",
          { className: "badge", dataset: { tone: r.state === "reading" ? "ok" : "warn" } },
          String(r.id),
        ),
        " ",
        String(r.state),
        isStr(r.detail) ? h("span", { className: "sub" }, ` ${r.detail}`) : null,
      ),
    );
}

/** "+0.4 s", "−10 min 3 s", "+2 h 5 min": the node's clock against the gateway's. */
export function skewText(skewMs: number): string {
  const abs = Math.abs(skewMs);
  const sign = skewMs < 0 ? "\u2212" : "+";
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  if (abs < 3_600_000)
    return `${sign}${Math.floor(abs / 60_000)} min ${Math.floor((abs % 60_000) / 1000)} s`;
  return `${sign}${Math.floor(abs / 3_600_000)} h ${Math.floor((abs % 3_600_000) / 60_000)} min`;
}

/** The skew on the node's last live status; a flag when it passes the site's threshold. */
function clockCell(node: NodeView): HTMLElement {
  const clock = node.clock;
  if (!clock || (clock.skewMs === null && !clock.flagged)) {
    return h("span", { className: "muted", dataset: { clock: "unknown" } }, "—");
  }
  const skew =
    clock.skewMs === null ? "not measured since the gateway started" : skewText(clock.skewMs);
  if (!clock.flagged) {
    return h("span", { dataset: { clock: "ok" }, title: "node clock − gateway clock" }, skew);
  }
  return h(
    "div",
    { dataset: { clock: "flagged" } },
    h("span", { className: "badge", dataset: { tone: "bad" } }, "clock skewed"),
    h(
      "div",
      { className: "sub detail" },
      `${skew}${clock.since ? ` since ${time(clock.since)}` : ""} (over ${clock.thresholdMs / 1000} s): its movements are aged by the time the gateway received them — check NTP on the node`,
    ),
  );
}

function seqCell(node: NodeView): HTMLElement {
  const head = node.headSeq;
  const lag = typeof head === "number" ? head - node.verifiedSeq : null;
  return h(
    "div",
    {},
    `${num(head)} / ${num(node.verifiedSeq)}`,
    lag !== null && lag > 0
      ? h("div", { className: "sub", dataset: { tone: "warn" } }, `${lag} not yet acknowledged`)
      : null,
  );
}

export const nodesPage: Page = {
  id: "nodes",
  title: "Nodes",
  topics: ["nodes"],
  mount(root) {
    const body = h("div");
    const summary = h("p", { className: "sub" });
    root.append(h("h1", {}, "Nodes"), h("section", { className: "card" }, summary, body));
    const refresh = () => {
      const nodes = [...data.nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
      summary.textContent = `${nodes.length} enrolled · head seq reported by the node / seq verified and stored by the gateway`;
      const rows = nodes.map((node) => {
        const health = nodeHealth(node);
        return h(
          "tr",
          { dataset: { node: node.id, health } },
          h(
            "td",
            { className: "nowrap" },
            h("b", {}, node.id),
            isStr(node.version) ? h("div", { className: "sub" }, `v${node.version}`) : null,
          ),
          h("td", {}, h("span", { className: "badge", dataset: { tone: TONE[health] } }, health)),
          h("td", {}, readersCell(node)),
          h(
            "td",
            { title: node.lastSeen ? time(node.lastSeen) : "" },
            node.lastSeen ? ago(node.lastSeen) : "never",
          ),
          h("td", { className: "clock" }, clockCell(node)),
          h("td", { className: "num" }, seqCell(node)),
          h("td", { className: "chain" }, chainCell(node)),
          h("td", {}, verifyCell(node, refresh)),
        );
      });
      body.replaceChildren(
        table(
          ["Node", "Status", "Readers", "Last seen", "Clock", "Head / verified ", "Chain", "Audit"],
          rows,
          "no node is enrolled yet: enroll one with POST /api/v1/nodes",
        ),
      );
    };
    this.refresh = refresh;
    refresh();
  },
};
