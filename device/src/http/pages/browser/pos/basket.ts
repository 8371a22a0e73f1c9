import type {
  BasketAddRequest,
  BasketRemoveRequest,
  BelowCostLine,
  PosLineRequest,
  PricedBasketView,
  PricedLineView,
} from "@comptoir/contracts";
import { $, clear, h } from "@comptoir/contracts/browser";
import { api } from "../shared/api.js";
import { money } from "../shared/format.js";
import { sayError } from "../shared/status.js";
import { till } from "./state.js";

/** Shows the basket the node priced: its lines, the tags it could not price, the total. */
export function showBasket(basket: PricedBasketView): void {
  till.basket = basket;
  $("#total").textContent = money(basket.total, basket.currency);
  const under = new Map((basket.belowCost ?? []).map((u) => [u.line, u]));
  clear(
    $("#lines"),
    ...basket.lines.map((line, index) =>
      h(
        "li",
        { dataset: { sku: line.sku }, className: under.has(index) ? "under-cost" : "" },
        h("span", { className: "name" }, `${line.quantity} \u00d7 ${line.name || line.sku}`),
        ...underCost(under.get(index), basket.currency),
        h("span", { className: "amount" }, money(line.lineTotal)),
        h(
          "button",
          {
            type: "button",
            className: "quiet",
            "aria-label": `remove one ${line.sku}`,
            onclick: () => removeOne(line),
          },
          "\u2212",
        ),
      ),
    ),
  );
  clear(
    $("#unpriced"),
    ...basket.unpriced.map((item) =>
      h(
        "li",
        { dataset: { epc: item.epc } },
        "not in catalog: ",
        h("code", {}, item.epc),
        h(
          "button",
          {
            type: "button",
            className: "quiet",
            "aria-label": `remove ${item.epc}`,
            onclick: () => edit("/pos/basket/remove", { epc: item.epc }),
          },
          "\u00d7",
        ),
      ),
    ),
  );
  const empty = basket.lines.length === 0;
  for (const id of ["#check", "#sell-account", "#sell-cash"])
    $<HTMLButtonElement>(id).disabled = empty;
}

/**
 * The flag on a line priced under the next unit's cost: its price and that
 * cost. The sale then warns, or needs a supervisor (policy "block").
 */
function underCost(line: BelowCostLine | undefined, currency: string | null): HTMLElement[] {
  if (!line) return [];
  const text = `under cost: ${money(line.unitPrice, currency)} < ${money(line.unitCost, currency)}`;
  return [h("span", { className: "below-cost", role: "note" }, text)];
}

async function edit(
  path: "/pos/basket/remove" | "/pos/basket/add",
  body: BasketRemoveRequest | BasketAddRequest,
): Promise<void> {
  try {
    showBasket(await api<PricedBasketView>("POST", path, body));
  } catch (error) {
    sayError(error);
  }
}

/** Takes one item off a line: its last tag, or one of a line added by GTIN. */
function removeOne(line: PricedLineView): Promise<void> {
  const last = line.epcs[line.epcs.length - 1];
  if (last !== undefined) return edit("/pos/basket/remove", { epc: last });
  return edit("/pos/basket/remove", { gtin: line.gtin });
}

/** The basket as a sale's lines: the tags when the counter reader saw them, else a quantity. */
export function saleLines(): PosLineRequest[] {
  return till.basket.lines.map((line) =>
    line.epcs.length > 0
      ? { sku: line.sku, epcs: line.epcs }
      : { sku: line.sku, quantity: line.quantity },
  );
}

export async function loadBasket(): Promise<void> {
  showBasket(await api<PricedBasketView>("GET", "/pos/basket"));
}

/** Wires the "add by GTIN" form. */
export function setupBasket(): void {
  $("#add-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>("#gtin");
    const gtin = input.value.trim();
    if (!gtin) return;
    await edit("/pos/basket/add", { gtin, quantity: 1 });
    input.value = "";
  });
}
