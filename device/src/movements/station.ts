import type { MovementEngineEvent } from "./events.js";
import type { MovementFactory } from "./evidence.js";
import type { PresenceObserver, TagTrack, ZoneSlot } from "./presence.js";

/**
 * Station nodes: a tag put on the scanning antenna is "scanned" once per
 * visit, after the dwell, for the node's page (commissioning, moves, cycle
 * counts). Stations record no movements by themselves.
 */
export class StationLogic implements PresenceObserver {
  constructor(
    private readonly zones: readonly string[],
    private readonly factory: MovementFactory,
    private readonly emit: (event: MovementEngineEvent) => void,
  ) {}

  observed(tag: TagTrack, zone: number, slot: ZoneSlot, at: number): void {
    this.emit({
      type: "scanned",
      epc: tag.epc,
      sku: this.factory.skuOf(tag),
      ...(tag.gtin !== undefined ? { gtin: tag.gtin } : {}),
      zone: this.zones[zone] as string,
      reader: slot.reader,
      antennas: slot.antennas.slice(),
      at: new Date(at).toISOString(),
    });
  }

  lost(): void {}
  idle(): void {}
}
