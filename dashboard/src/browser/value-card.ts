/**
 * The Overview's "Stock value" card: the gateway's value of the stock on
 * site (GET /valuation: FIFO, or the site's weighted average cost), with the
 * part still at catalog cost said, since those layers wait for their
 * supplier invoice. A role that may not read valuation, or a gateway
 * without it, gets count × catalog cost from the live stock, said as such.
 * The item count and the items without a product come from the live stock
 * either way.
 */
import { h, money, num, optional, serial } from "./core.js";
import { can, data } from "./data.js";
import { stockValue, unpricedText } from "./stock.js";
import { type Valuation, valuationOf } from "./value-data.js";

/** Between two asks of GET /valuation: a burst of movements asks once more at most, after this. */
const GAP_MS = 1000;

export function stockValueCard(): { root: HTMLElement; refresh(): void } {
  const root = h("div", { id: "stock-value" });
  // undefined until the gateway answered; null when it has no valuation for this role (the catalog's cost then).
  let valuation: Valuation | null | undefined = can("valuation:read") ? undefined : null;
  let why = "";

  const figures = (): HTMLElement[] => {
    const live = stockValue([...data.stock.values()]);
    if (valuation === undefined)
      return [
        h("div", { className: "figure" }, "…"),
        h("div", { className: "sub", id: "stock-method" }, "valuing…"),
      ];
    if (valuation === null)
      return [
        h("div", { className: "figure" }, live.cost),
        h(
          "div",
          { className: "sub", id: "stock-method" },
          `at catalog cost · ${live.price} at price`,
        ),
        ...(why ? [h("div", { className: "sub" }, `FIFO value: ${why}`)] : []),
      ];
    const { totals, currency } = valuation;
    const method = valuation.method === "average" ? "weighted average cost" : "FIFO";
    return [
      h("div", { className: "figure" }, money(totals.value, currency)),
      h(
        "div",
        { className: "sub", id: "stock-method" },
        `${method} at cost · ${live.price} at price`,
      ),
      ...(totals.provisionalQuantity
        ? [
            h(
              "div",
              { className: "sub", id: "stock-provisional" },
              `of which ${money(totals.provisionalValue, currency)} provisional: ${num(totals.provisionalQuantity)} items at catalog cost until their supplier invoice`,
            ),
          ]
        : []),
    ];
  };

  const render = () => {
    const live = stockValue([...data.stock.values()]);
    root.replaceChildren(
      ...figures(),
      h("div", { className: "sub", id: "stock-units" }, `${num(live.units)} items`),
      // replaceChildren writes a null as the text "null": leave the line out instead.
      ...(live.unpriced
        ? [h("div", { className: "sub", id: "stock-unpriced" }, unpricedText(live))]
        : []),
    );
  };

  const ask = serial(async () => {
    const result = await optional("/valuation");
    valuation = result.ok ? valuationOf(result.data) : null;
    why = result.ok ? (valuation ? "" : "the gateway answered something unexpected") : result.why;
    render();
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
  });

  return {
    root,
    refresh() {
      render();
      // Goods in or out move the value; a product's catalog cost moves the provisional layers.
      if (can("valuation:read")) ask();
    },
  };
}
