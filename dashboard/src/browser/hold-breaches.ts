/**
 * "Goods left under credit hold": goods tagged for a held, cancelled or
 * unknown order seen leaving through a dock portal. The gateway lists the
 * ones it raised (GET /dashboard/hold-breaches), so a page opened after the
 * live alert still shows them, and each new alert of the feed has the list
 * asked again. A gateway without the route gives the feed's alerts since the
 * page opened.
 */
import type { HoldBreachView } from "@comptoir/contracts";
import { h, isInt, isObj, isStr, isStrOrNull, num, optional, serial, time } from "./core.js";
import { type Alert, data } from "./data.js";

/** The live alert the gateway raises when goods tagged for a held, cancelled or unknown order leave. */
const HOLD_BREACH = "hold-breach";

interface Line {
  at: string | null;
  text: string;
}

const isBreach = (b: unknown): b is HoldBreachView =>
  isObj(b) &&
  isInt(b.seq) &&
  isStr(b.at) &&
  isStr(b.order) &&
  isStr(b.customer) &&
  isStrOrNull(b.customerName) &&
  isStr(b.state) &&
  isInt(b.items) &&
  isStr(b.node);

const lineOf = (b: HoldBreachView): Line => ({
  at: b.at,
  text: `goods left under credit hold: ${b.order} (${b.customerName ?? b.customer}), ${num(b.items)} item${b.items === 1 ? "" : "s"} seen leaving through ${b.node} while the order was ${b.state === "unknown" ? "unknown to the gateway" : b.state}`,
});

/**
 * The section (empty while nothing left under a hold) and `refresh`, to call
 * when the feed brought alerts: true when it brought a new breach.
 */
export function holdBreaches(): { root: HTMLElement; refresh(): boolean } {
  const root = h("div", { id: "hold-breaches" });
  let listed: Line[] | null = null;
  const draw = () => {
    const lines: Line[] =
      listed ??
      data.alerts.filter((a) => a.code === HOLD_BREACH).map((a) => ({ at: a.at, text: a.message }));
    root.replaceChildren(
      lines.length
        ? h(
            "section",
            { className: "card breach", role: "alert" },
            h("h2", {}, "Goods left under credit hold"),
            h(
              "ul",
              { className: "list" },
              lines.map((line) =>
                h(
                  "li",
                  {},
                  line.text,
                  line.at ? h("span", { className: "sub" }, ` · ${time(line.at)}`) : null,
                ),
              ),
            ),
          )
        : "",
    );
  };
  const fetch = serial(async () => {
    const result = await optional("/dashboard/hold-breaches");
    const body = result.ok && isObj(result.data) ? result.data.breaches : undefined;
    listed = Array.isArray(body) ? body.filter(isBreach).map(lineOf) : null;
    draw();
  });
  let newest: Alert | undefined | null = null;
  return {
    root,
    refresh() {
      // Asked again only when the feed brought a new breach alert (or at first).
      const latest = data.alerts.find((a) => a.code === HOLD_BREACH);
      if (latest === newest) return false;
      newest = latest;
      draw();
      fetch();
      return true;
    },
  };
}
