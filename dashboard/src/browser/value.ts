/**
 * The "Value and analytics" page: stock value over time, the ABC Pareto
 * curve, turnover per product, dwell times and the oldest units, FIFO
 * discipline per zone, margin and slow-mover alerts, and the reorder list.
 * The money parts (GET /valuation…) show with valuation:read, the
 * warehouse's figures (GET /analytics/…) with analytics:read; each part
 * asks the gateway on its own, says why when it has nothing, and offers its
 * list as CSV. An "analytics" event of the live feed (an alert raised or
 * cleared) has the alerts and the reorder list asked again.
 */
import { type Child, h, messageOf, optional, say, serial } from "./core.js";
import { can } from "./data.js";
import type { Page } from "./page.js";
import {
  abcOf,
  alertsOf,
  downloadCsv,
  dwellOf,
  fifoOf,
  historyOf,
  reorderOf,
  rotationOf,
  valuationOf,
  whyNot,
} from "./value-data.js";
import {
  abcNodes,
  alertNodes,
  dwellNodes,
  fifoNodes,
  reorderNodes,
  turnoverNodes,
  valueNodes,
} from "./value-parts.js";

/** A card with its title, a CSV button when it has a list (of what the card shows: the same query), and a body its load fills. */
function card(id: string, title: string, csv?: { path: () => string; file: string }) {
  const body = h("div", { className: "body" }, h("p", { className: "empty" }, "loading…"));
  const button = csv
    ? h(
        "button",
        {
          type: "button",
          className: "quiet csv",
          title: `download ${csv.file}`,
          onclick: () => {
            downloadCsv(csv.path(), csv.file).catch((error: unknown) =>
              say(`could not download ${csv.file}: ${messageOf(error)}`, "error"),
            );
          },
        },
        "CSV",
      )
    : null;
  const root = h("section", { className: "card", id }, h("h2", {}, h("span", {}, title), button));
  root.append(body);
  return { root, body, show: (...children: Child[]) => body.replaceChildren(...flat(children)) };
}

/** Children as replaceChildren takes them: nested lists flattened, nullish left out (it would write "null"). */
function flat(children: readonly Child[]): (Node | string)[] {
  const out: (Node | string)[] = [];
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) out.push(...flat(child));
    else out.push(child instanceof Node ? child : String(child));
  }
  return out;
}

const empty = (text: string) => h("p", { className: "empty" }, text);

export const valuePage: Page = {
  id: "value",
  title: "Value and analytics",
  topics: ["analytics"],
  mount(root) {
    const money = can("valuation:read");
    const figures = can("analytics:read");
    // The period of turnover, dwell and FIFO discipline: the last N days (ABC keeps the site's configured period).
    const period = h(
      "select",
      { "aria-label": "period" },
      [30, 90, 365].map((days) => h("option", { value: String(days) }, `last ${days} days`)),
    );
    // Whole UTC days, today being the last, as the gateway counts its default period.
    const since = () => {
      const now = new Date();
      const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      const from = new Date(today - (Number(period.value) - 1) * 86_400_000);
      return `from=${encodeURIComponent(from.toISOString())}`;
    };
    let everyRule = false;
    const value = card("value-history", "Stock value", {
      path: () => "/valuation",
      file: "stock-value.csv",
    });
    const abc = card("abc", "ABC classes", { path: () => "/analytics/abc", file: "abc.csv" });
    const turnover = card("turnover", "Turnover per product", {
      path: () => `/analytics/rotation?${since()}`,
      file: "rotation.csv",
    });
    const dwell = card("dwell", "Time on site", {
      path: () => `/analytics/dwell?${since()}`,
      file: "dwell.csv",
    });
    const fifo = card("fifo", "FIFO discipline per zone", {
      path: () => `/analytics/fifo?${since()}`,
      file: "fifo-discipline.csv",
    });
    const margins = card("margin-alerts", "Margin alerts", {
      path: () => "/analytics/alerts",
      file: "alerts.csv",
    });
    const slow = card("slow-alerts", "Slow movers and old stock", {
      path: () => "/analytics/alerts",
      file: "alerts.csv",
    });
    const reorder = card("reorder", "To reorder", {
      path: () => (everyRule ? "/analytics/reorder?all=true" : "/analytics/reorder"),
      file: "purchase-suggestion.csv",
    });
    const toggle = h("input", { type: "checkbox", "aria-label": "every rule" });
    toggle.addEventListener("change", () => {
      everyRule = toggle.checked;
      loadReorder();
    });
    reorder.root.insertBefore(
      h("label", { className: "sub toolbar" }, toggle, " show every rule, not only those due"),
      reorder.body,
    );

    period.addEventListener("change", () => {
      if (!figures) return;
      loadTurnover();
      loadDwell();
      loadFifo();
    });
    const refreshAll = h("button", { type: "button", className: "quiet" }, "Refresh");
    root.append(
      ...flat([
        h("h1", {}, "Value and analytics"),
        h("div", { className: "toolbar" }, figures ? period : null, refreshAll),
        money || figures
          ? h(
              "div",
              { className: "grid wide top" },
              money ? value.root : null,
              figures ? abc.root : null,
            )
          : empty("your role may see neither stock value nor analytics"),
        // The wide tables take the whole width; the small ones go two by two.
        figures ? turnover.root : null,
        figures ? h("div", { className: "grid wide top" }, dwell.root, fifo.root) : null,
        // Margins are money: the gateway lists their alerts only to a role that may read valuation.
        figures
          ? h("div", { className: "grid wide top" }, money ? margins.root : null, slow.root)
          : null,
        figures ? reorder.root : null,
      ]),
    );

    const loadValue = serial(async () => {
      const [now, history] = await Promise.all([
        optional("/valuation"),
        optional("/valuation/history"),
      ]);
      const report = now.ok ? valuationOf(now.data) : null;
      const points = history.ok ? historyOf(history.data) : null;
      value.show(report ? valueNodes(report, points ? points.points : null) : empty(whyNot(now)));
    });
    const loadAbc = serial(async () => {
      const result = await optional("/analytics/abc");
      const report = result.ok ? abcOf(result.data) : null;
      abc.show(report ? abcNodes(report) : empty(whyNot(result)));
    });
    const loadTurnover = serial(async () => {
      const result = await optional(`/analytics/rotation?${since()}`);
      const report = result.ok ? rotationOf(result.data) : null;
      turnover.show(report ? turnoverNodes(report) : empty(whyNot(result)));
    });
    const loadDwell = serial(async () => {
      const result = await optional(`/analytics/dwell?${since()}`);
      const report = result.ok ? dwellOf(result.data) : null;
      dwell.show(report ? dwellNodes(report.buckets, report.oldest) : empty(whyNot(result)));
    });
    const loadFifo = serial(async () => {
      const result = await optional(`/analytics/fifo?${since()}`);
      const zones = result.ok ? fifoOf(result.data) : null;
      fifo.show(zones ? fifoNodes(zones) : empty(whyNot(result)));
    });
    const loadAlerts = serial(async () => {
      const result = await optional("/analytics/alerts");
      const list = result.ok ? alertsOf(result.data) : null;
      if (!list) {
        margins.show(empty(whyNot(result)));
        slow.show(empty(whyNot(result)));
        return;
      }
      // Open alerts only: a margin that was made good again, or a product moving again, is no longer shown.
      const open = list.rows.filter((a) => a.clearedAt === null);
      margins.show(
        alertNodes(
          open.filter((a) => a.kind === "below-cost" || a.kind === "below-margin"),
          "no sale under cost or under its margin floor",
        ),
      );
      slow.show(
        alertNodes(
          open.filter((a) => a.kind === "slow-mover" || a.kind === "old-stock"),
          "no slow mover, no unit past its age",
        ),
      );
    });
    const loadReorder = serial(async () => {
      const result = await optional(
        everyRule ? "/analytics/reorder?all=true" : "/analytics/reorder",
      );
      const list = result.ok ? reorderOf(result.data) : null;
      reorder.show(list ? reorderNodes(list, everyRule) : empty(whyNot(result)));
    });

    const loadEverything = () => {
      if (money) loadValue();
      if (!figures) return;
      loadAbc();
      loadTurnover();
      loadDwell();
      loadFifo();
      loadAlerts();
      loadReorder();
    };
    refreshAll.addEventListener("click", loadEverything);
    this.refresh = (topics) => {
      // Once everything is loaded: the catalog's names for the alerts' products.
      if (!topics) {
        if (figures) loadAlerts();
        return;
      }
      if (figures && topics.has("analytics")) {
        loadAlerts();
        loadReorder();
      }
    };
    loadEverything();
  },
};
