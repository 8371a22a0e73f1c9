import type { Logger } from "@comptoir/contracts";
import { passDirection } from "./direction.js";
import type { MovementEngineEvent } from "./events.js";
import type { Evidence, MovementFactory } from "./evidence.js";
import {
  type PassVisit,
  type PresenceObserver,
  type TagTrack,
  visitOf,
  type ZoneSlot,
} from "./presence.js";

export interface DockOrder {
  order: string | null;
  customer: string | null;
}

/**
 * Portal nodes: antennas across a dock door. A pass is everything from a
 * tag's first zone visit to the moment it is in no zone any more; its
 * direction (see passDirection) makes the movement: inbound → receive, from
 * outside the site (null) to the inside zone, with the dock's current order
 * when set; outbound → ship, from the inside zone out of the site (null),
 * with the dock's current order and customer when they are set.
 */
export class PortalLogic implements PresenceObserver {
  private readonly ranks: Int32Array;
  private readonly inside: string;
  private readonly rank = (zone: number) => this.ranks[zone] ?? -1;

  constructor(
    zones: readonly string[],
    /** The portal's zones, from outside to inside. */
    order: readonly string[],
    private readonly simultaneousMs: number,
    private readonly factory: MovementFactory,
    private readonly dockOrder: (() => DockOrder) | undefined,
    private readonly emit: (event: MovementEngineEvent) => void,
    private readonly log: Logger,
  ) {
    this.ranks = Int32Array.from(zones, (zone) => order.indexOf(zone));
    this.inside = order[order.length - 1] as string;
  }

  observed(): void {}

  lost(tag: TagTrack, zone: number, slot: ZoneSlot): void {
    if (this.rank(zone) < 0) return;
    if (tag.pass === undefined) tag.pass = [];
    tag.pass.push(visitOf(zone, slot));
  }

  idle(tag: TagTrack, at: number): void {
    const pass = tag.pass;
    tag.pass = undefined;
    if (pass === undefined) return;
    const direction = passDirection(pass, this.rank, this.simultaneousMs);
    if (direction === undefined) {
      this.log.debug({ epc: tag.epc, zones: pass.length }, "portal pass without a direction");
      return;
    }
    const evidence = passEvidence(pass);
    // The dock's current order goes with goods both ways: a receipt names the
    // purchase order (or despatch advice) its supplier invoice is matched by;
    // the customer only goes with goods that leave.
    const dock = this.dockOrder?.();
    const movement =
      direction === "inbound"
        ? this.factory.make(tag, "receive", null, this.inside, evidence, at, {
            order: dock?.order ?? null,
          })
        : this.factory.make(tag, "ship", this.inside, null, evidence, at, dock);
    tag.place = direction === "inbound" ? this.inside : null;
    if (movement) this.emit({ type: "movement", movement });
  }
}

/** The pass's evidence: the first reader, antennas in the order they first saw the tag. */
function passEvidence(pass: readonly PassVisit[]): Evidence {
  const visits = [...pass].sort((a, b) => a.firstSeen - b.firstSeen);
  const antennas: number[] = [];
  let reads = 0;
  let peakRssi = Number.NEGATIVE_INFINITY;
  for (const visit of visits) {
    for (const port of visit.antennas) if (!antennas.includes(port)) antennas.push(port);
    reads += visit.reads;
    peakRssi = Math.max(peakRssi, visit.peakRssi);
  }
  return { reader: (visits[0] as PassVisit).reader, antennas, reads, peakRssi };
}
