import type { MovementData } from "@comptoir/contracts";
import type { MovementEngineEvent } from "./events.js";
import type { MovementFactory } from "./evidence.js";
import { type PlaceLookup, placeOf } from "./place.js";
import { OBSERVED, type PresenceObserver, type TagTrack, type ZoneSlot } from "./presence.js";

/**
 * Shelf nodes: each antenna watches a bay (zone). A tag that settles in a
 * bay is put away there; a tag that leaves its bay for another is put away
 * in the other; a tag that leaves every bay is picked (moved to
 * `pickedZone`). While a tag is still seen in its own bay, a second bay
 * seeing it changes nothing (no ping-pong between neighbouring antennas).
 *
 * A shelf never receives: receiving is the dock portal's, and a shelf node
 * knows only its own movements, not the portal's. An item it has not seen
 * before is put away from nowhere (`from` null); recording it as received
 * would count every delivery twice, once at the door and once on the shelf.
 */
export class ShelfLogic implements PresenceObserver {
  constructor(
    private readonly zones: readonly string[],
    private readonly pickedZone: string,
    private readonly factory: MovementFactory,
    private readonly lookupPlace: PlaceLookup | undefined,
    private readonly emit: (event: MovementEngineEvent) => void,
  ) {}

  observed(tag: TagTrack, zone: number, slot: ZoneSlot, at: number): void {
    const here = this.zones[zone] as string;
    const place = placeOf(tag, this.lookupPlace);
    if (place === here) return;
    const placeZone = place === null ? -1 : this.zones.indexOf(place);
    if (placeZone >= 0 && tag.slots[placeZone]?.state === OBSERVED) return;
    this.record(tag, "putaway", place, here, slot, at);
  }

  lost(tag: TagTrack, zone: number, slot: ZoneSlot, at: number): void {
    const here = this.zones[zone] as string;
    if (placeOf(tag, this.lookupPlace) !== here) return;
    let next = -1;
    for (let other = 0; other < tag.slots.length; other++) {
      const candidate = tag.slots[other];
      if (other === zone || candidate?.state !== OBSERVED) continue;
      if (next < 0 || candidate.observedAt > (tag.slots[next] as ZoneSlot).observedAt) next = other;
    }
    if (next >= 0) {
      this.record(
        tag,
        "putaway",
        here,
        this.zones[next] as string,
        tag.slots[next] as ZoneSlot,
        at,
      );
    } else {
      this.record(tag, "pick", here, this.pickedZone, slot, at);
    }
  }

  idle(): void {}

  private record(
    tag: TagTrack,
    kind: MovementData["kind"],
    from: string | null,
    to: string,
    slot: ZoneSlot,
    at: number,
  ): void {
    tag.place = to;
    const movement = this.factory.make(tag, kind, from, to, slot, at);
    if (movement) this.emit({ type: "movement", movement });
  }
}
