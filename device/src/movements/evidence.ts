import type { Logger, MovementData, MovementKind } from "@comptoir/contracts";
import type { TagTrack } from "./presence.js";

/** The evidence a movement carries: which reader, antennas in order, de-duplicated reads, peak RSSI. */
export interface Evidence {
  reader: string;
  antennas: readonly number[];
  reads: number;
  /** -Infinity when the reader reports no RSSI. */
  peakRssi: number;
}

/** The SKU a tag was explicitly commissioned to at this node (undefined: none). */
export type SkuLookup = (epc: string) => string | null | undefined;

const EPC = /^[0-9A-F]{8,64}$/;

/**
 * Builds MovementData (contracts/src/stock/events.ts) ready for
 * `ledger.append("movement", data)`, keys in the schema's order.
 */
export class MovementFactory {
  private refused = 0;

  constructor(
    private readonly lookupSku: SkuLookup | undefined,
    private readonly log: Logger,
  ) {}

  /**
   * The SKU the tag was commissioned to, else null — never the GTIN: an
   * SGTIN's product is the gateway's to find in its catalog (the movement
   * carries the GTIN), so a GTIN added to the catalog later still counts.
   */
  skuOf(tag: TagTrack): string | null {
    return this.lookupSku?.(tag.epc) ?? null;
  }

  make(
    tag: TagTrack,
    kind: MovementKind,
    from: string | null,
    to: string | null,
    evidence: Evidence,
    at: number,
    extra?: { order?: string | null; customer?: string | null },
  ): MovementData | undefined {
    const epc = tag.epc.toUpperCase();
    if (!EPC.test(epc)) {
      if (this.refused++ === 0)
        this.log.warn({ epc: tag.epc }, "not recording movements of a tag whose EPC is not hex");
      return undefined;
    }
    const movement: MovementData = { epc, sku: this.skuOf(tag) } as MovementData;
    if (tag.gtin !== undefined) movement.gtin = tag.gtin;
    movement.kind = kind;
    movement.from = from;
    movement.to = to;
    movement.reader = evidence.reader;
    movement.antennas = evidence.antennas.slice(0, 64);
    movement.reads = Math.max(1, evidence.reads);
    if (evidence.peakRssi !== Number.NEGATIVE_INFINITY)
      movement.rssi = Math.min(20, Math.max(-128, evidence.peakRssi));
    movement.at = new Date(at).toISOString();
    if (extra?.order) movement.order = extra.order;
    if (extra?.customer) movement.customer = extra.customer;
    return movement;
  }
}
