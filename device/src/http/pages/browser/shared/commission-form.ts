import type { Commissioned, CommissionRequest } from "@comptoir/contracts";
import { type Child, h } from "@comptoir/contracts/browser";
import { api } from "./api.js";
import { say, sayError } from "./status.js";

/**
 * The form that commissions a tag: its SKU and, optionally, its GTIN (what
 * `label` shows comes first). Says what was recorded, then runs `onDone`.
 */
export function commissionForm(
  epc: string,
  onDone: () => Promise<unknown>,
  ...label: Child[]
): HTMLFormElement {
  const sku = h("input", {
    name: "sku",
    placeholder: "SKU",
    required: true,
    autocomplete: "off",
    "aria-label": `SKU for ${epc}`,
  });
  const gtin = h("input", {
    name: "gtin",
    placeholder: "GTIN (optional)",
    inputmode: "numeric",
    autocomplete: "off",
    "aria-label": `GTIN for ${epc}`,
  });
  const form = h(
    "form",
    { className: "commission", dataset: { epc } },
    ...label,
    sku,
    gtin,
    h("button", { type: "submit" }, "Commission"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body: CommissionRequest = { epc, sku: sku.value.trim() };
    if (gtin.value.trim()) body.gtin = gtin.value.trim();
    try {
      const result = await api<Commissioned>("POST", "/tags/commission", body);
      say(`commissioned ${result.epc} as ${result.sku}`, "ok");
      await onDone();
    } catch (error) {
      sayError(error);
    }
  });
  return form;
}
