/**
 * CBV 2.0 business steps and dispositions for the movement kinds the export
 * carries (reference section 7.4). Bare CBV names: the JSON schema refuses
 * the CBV 1.x `urn:epcglobal:cbv:bizstep:…` form.
 */
export const EPCIS_STEPS = {
  receive: { bizStep: "receiving", disposition: "in_progress" },
  // A put-away moves goods into storage in the site: still for sale, not on the customer's side.
  putaway: { bizStep: "storing", disposition: "sellable_not_accessible" },
  pick: { bizStep: "picking", disposition: "in_progress" },
  ship: { bizStep: "shipping", disposition: "in_transit" },
  sale: { bizStep: "retail_selling", disposition: "retail_sold" },
} as const;

export type ExportedKind = keyof typeof EPCIS_STEPS;
export const EXPORTED_KINDS = Object.keys(EPCIS_STEPS) as ExportedKind[];

export const BIZ_STEPS = ["receiving", "storing", "picking", "shipping", "retail_selling"] as const;
export type BizStep = (typeof BIZ_STEPS)[number];

/** The movement kind a bizStep is made from. */
export function kindOf(bizStep: BizStep): ExportedKind {
  return EXPORTED_KINDS.find((kind) => EPCIS_STEPS[kind].bizStep === bizStep) as ExportedKind;
}

/**
 * Where the items were seen: a shelf's reader sees a pick leave its bay
 * (`from`), every other kind where the items arrive (`to`), or leave the
 * site (a dock's shipment, a counter's sale: `from`).
 */
export function readZone(kind: ExportedKind, from: string | null, to: string | null) {
  return (kind === "pick" ? from : to) ?? from ?? to;
}
