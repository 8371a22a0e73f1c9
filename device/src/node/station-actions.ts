import type { MovementData, StockProjection } from "@comptoir/contracts";
import type { CycleCountResult, MoveInput } from "./api.js";

/**
 * What staff do at a scanning station, as movements: moving items to a zone,
 * and a cycle count of a zone whose differences become adjustments.
 */
export function moveMovements(
  stock: StockProjection,
  input: MoveInput,
  evidence: Pick<MovementData, "reader" | "antennas" | "reads" | "at">,
): MovementData[] {
  return input.epcs.map((epc) => {
    const place = stock.tag(epc);
    return {
      epc,
      sku: place?.sku ?? null,
      ...(place?.gtin ? { gtin: place.gtin } : {}),
      kind: place?.zone ? "putaway" : "receive",
      from: place?.zone ?? null,
      to: input.zone,
      ...evidence,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.order ? { order: input.order } : {}),
      ...(input.customer ? { customer: input.customer } : {}),
    };
  });
}

/**
 * Expected (what the stock says is in the zone) against seen: a missing item
 * leaves the site, an unexpected one is brought into the zone, both as
 * "adjust" movements carrying the reason.
 */
export function cycleCountMovements(
  stock: StockProjection,
  input: { zone: string; seen: string[]; reason: string },
  evidence: Pick<MovementData, "reader" | "antennas" | "reads" | "at">,
): { result: CycleCountResult; movements: MovementData[] } {
  const expected = new Set(stock.tagsIn(input.zone));
  const seen = new Set(input.seen);
  const missing = [...expected].filter((epc) => !seen.has(epc)).sort();
  const unexpected = [...seen].filter((epc) => !expected.has(epc)).sort();
  const movements: MovementData[] = [
    ...missing.map((epc) => adjustment(stock, epc, input.zone, null, input.reason, evidence)),
    ...unexpected.map((epc) =>
      adjustment(stock, epc, stock.tag(epc)?.zone ?? null, input.zone, input.reason, evidence),
    ),
  ];
  return {
    result: {
      zone: input.zone,
      expected: expected.size,
      seen: seen.size,
      missing,
      unexpected,
      adjustments: movements.length,
    },
    movements,
  };
}

function adjustment(
  stock: StockProjection,
  epc: string,
  from: string | null,
  to: string | null,
  reason: string,
  evidence: Pick<MovementData, "reader" | "antennas" | "reads" | "at">,
): MovementData {
  const place = stock.tag(epc);
  return {
    epc,
    sku: place?.sku ?? null,
    ...(place?.gtin ? { gtin: place.gtin } : {}),
    kind: "adjust",
    from,
    to,
    ...evidence,
    reason,
  };
}
