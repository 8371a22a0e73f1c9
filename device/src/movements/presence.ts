import type { Read } from "../readers/identity.js";
import type { ZoneTable } from "./zones.js";

/**
 * Zone presence per tag (reference 6.3, ALE tag smoothing). Per (tag, zone):
 * absent → glimpsed on the first read → observed after the dwell (enough
 * de-duplicated reads, or long enough between first and last) → lost after
 * `lostTimeoutMs` without reads. A glimpse not confirmed within
 * `glimpsedTimeoutMs` is dropped without a word.
 *
 * Time is the reads' own times and the `now` given to `tick()`: no timers, so
 * tests drive it. Expiry happens at the moment it is due (lastSeen + timeout)
 * whenever it is noticed, so the transitions do not depend on how often
 * `tick()` runs; only how soon they are announced does.
 */

export const ABSENT = 0;
export const GLIMPSED = 1;
export const OBSERVED = 2;
export type PresenceState = typeof ABSENT | typeof GLIMPSED | typeof OBSERVED;

export interface PresenceSettings {
  dedupMs: number;
  observedReads: number;
  observedMs?: number | undefined;
  glimpsedTimeoutMs: number;
  lostTimeoutMs: number;
  maxTags: number;
}

/** One tag's current visit to one zone: the evidence a movement carries. */
export class ZoneSlot {
  state: PresenceState = ABSENT;
  firstSeen = 0;
  lastSeen = 0;
  observedAt = 0;
  /** De-duplicated reads in this visit. */
  reads = 0;
  /** Strongest RSSI of the visit's counted reads and when; -Infinity without RSSI. */
  peakRssi = Number.NEGATIVE_INFINITY;
  peakAt = 0;
  /** The reader of the visit's first read. */
  reader = "";
  /** Antenna ports in the order they first saw the tag in this visit. */
  readonly antennas: number[] = [];

  start(at: number, reader: string): void {
    this.state = GLIMPSED;
    this.firstSeen = at;
    this.lastSeen = at;
    this.observedAt = 0;
    this.reads = 0;
    this.peakRssi = Number.NEGATIVE_INFINITY;
    this.peakAt = 0;
    this.reader = reader;
    this.antennas.length = 0;
  }
}

export class TagTrack {
  /** Zone index → this tag's visit (created on the first read in that zone). */
  readonly slots: (ZoneSlot | undefined)[] = [];
  /** Antenna index → time of the last counted (non-duplicate) read; -Infinity before any. */
  readonly antennaLast: Float64Array;
  /** Latest counted read on any antenna: the tracker's recency order. */
  lastCounted = Number.NEGATIVE_INFINITY;
  /** Slots not absent. */
  active = 0;
  /** The GTIN of an SGTIN-96 EPC, from the read's identity. */
  gtin: string | undefined;
  /** For the role logic: where this node last put the tag (undefined: not known here). */
  place: string | null | undefined;
  /** For the role logic (portals): the zone visits of the current pass. */
  pass: PassVisit[] | undefined;

  constructor(
    readonly epc: string,
    antennas: number,
  ) {
    this.antennaLast = new Float64Array(antennas).fill(Number.NEGATIVE_INFINITY);
  }
}

/** A finished zone visit, kept for a portal's direction decision. */
export interface PassVisit {
  zone: number;
  firstSeen: number;
  observedAt: number;
  lastSeen: number;
  reads: number;
  peakRssi: number;
  peakAt: number;
  reader: string;
  antennas: number[];
}

export function visitOf(zone: number, slot: ZoneSlot): PassVisit {
  return {
    zone,
    firstSeen: slot.firstSeen,
    observedAt: slot.observedAt,
    lastSeen: slot.lastSeen,
    reads: slot.reads,
    peakRssi: slot.peakRssi,
    peakAt: slot.peakAt,
    reader: slot.reader,
    antennas: slot.antennas.slice(),
  };
}

/** What the role logic hears. Callbacks run synchronously, inside `read()` or `tick()`. */
export interface PresenceObserver {
  /** The dwell is met: the tag is in the zone. `at`: the confirming read's time. */
  observed(tag: TagTrack, zone: number, slot: ZoneSlot, at: number): void;
  /** The tag left the zone (no reads for lostTimeoutMs). The slot still holds the visit's evidence. */
  lost(tag: TagTrack, zone: number, slot: ZoneSlot, at: number): void;
  /** The tag is in no zone any more, not even glimpsed. */
  idle(tag: TagTrack, at: number): void;
}

export interface PresenceStats {
  reads: number;
  duplicates: number;
  evicted: number;
  /** Glimpses that ended without meeting the dwell (stray reads, or tags read too seldom). */
  glimpsesDropped: number;
  /** Glimpses that met the dwell. */
  observations: number;
}

export class PresenceTracker {
  /** Ordered from least to most recently counted: tick() and eviction start at the front. */
  private readonly tags = new Map<string, TagTrack>();
  private last: TagTrack | undefined;
  private readonly minTimeout: number;
  readonly stats: PresenceStats = {
    reads: 0,
    duplicates: 0,
    evicted: 0,
    glimpsesDropped: 0,
    observations: 0,
  };

  constructor(
    private readonly table: ZoneTable,
    private readonly settings: PresenceSettings,
    private readonly observer: PresenceObserver,
    private readonly onEvict: (tag: TagTrack) => void = () => {},
  ) {
    this.minTimeout = Math.min(settings.glimpsedTimeoutMs, settings.lostTimeoutMs);
  }

  get size(): number {
    return this.tags.size;
  }

  get(epc: string): TagTrack | undefined {
    return this.tags.get(epc);
  }

  /**
   * One read on antenna index `antenna` (see ZoneTable) at time `at` (ms). The
   * duplicate path (same tag and antenna within dedupMs of its last counted
   * read) allocates nothing and changes nothing but the counters.
   */
  read(read: Read, antenna: number, at: number): void {
    this.stats.reads++;
    const epc = read.epc;
    let tag = this.tags.get(epc);
    if (tag !== undefined) {
      if (at - (tag.antennaLast[antenna] as number) < this.settings.dedupMs) {
        this.stats.duplicates++;
        return;
      }
    } else {
      tag = this.admit(epc, at);
      if (read.identity?.scheme === "sgtin-96") tag.gtin = read.identity.gtin;
    }
    // A counted read: first what fell due before it, in the order it fell due.
    if (tag.active > 0) this.expireDue(tag, at);
    tag.antennaLast[antenna] = at;
    if (at > tag.lastCounted) {
      tag.lastCounted = at;
      if (this.last !== tag) {
        this.tags.delete(epc);
        this.tags.set(epc, tag);
        this.last = tag;
      }
    }
    const zone = this.table.zoneOfAntenna[antenna] as number;
    let slot = tag.slots[zone];
    if (slot === undefined) {
      slot = new ZoneSlot();
      tag.slots[zone] = slot;
    }
    if (slot.state === ABSENT) {
      slot.start(at, read.reader);
      tag.active++;
    }
    slot.reads++;
    if (at > slot.lastSeen) slot.lastSeen = at;
    const rssi = read.rssi;
    if (rssi !== undefined && rssi > slot.peakRssi) {
      slot.peakRssi = rssi;
      slot.peakAt = at;
    }
    const port = this.table.ports[antenna] as number;
    if (!slot.antennas.includes(port)) slot.antennas.push(port);
    if (slot.state === GLIMPSED && this.dwellMet(slot)) {
      slot.state = OBSERVED;
      slot.observedAt = at;
      this.stats.observations++;
      this.observer.observed(tag, zone, slot, at);
    }
  }

  /** Announces what has fallen due by `now`: lost tags, dropped glimpses; forgets idle tags. */
  tick(now: number): void {
    for (const tag of this.tags.values()) {
      // Tags behind this one were counted later: nothing of theirs can be due before
      // their last counted read + the shorter timeout (mixed visits are caught by reads).
      if (tag.lastCounted + this.minTimeout > now) break;
      this.expireDue(tag, now);
      if (tag.active === 0) this.forget(tag);
    }
  }

  /** Every tag currently observed in a zone (zone index). */
  *observedIn(zone: number): IterableIterator<TagTrack> {
    for (const tag of this.tags.values()) if (tag.slots[zone]?.state === OBSERVED) yield tag;
  }

  private dwellMet(slot: ZoneSlot): boolean {
    const { observedReads, observedMs } = this.settings;
    return (
      slot.reads >= observedReads ||
      (observedMs !== undefined && slot.lastSeen - slot.firstSeen >= observedMs)
    );
  }

  private dueAt(slot: ZoneSlot): number {
    return (
      slot.lastSeen +
      (slot.state === OBSERVED ? this.settings.lostTimeoutMs : this.settings.glimpsedTimeoutMs)
    );
  }

  /** Expires the tag's slots due by `now`, earliest first; calls idle when none is left. */
  private expireDue(tag: TagTrack, now: number): void {
    for (;;) {
      let due: ZoneSlot | undefined;
      let dueZone = -1;
      let dueAt = Number.POSITIVE_INFINITY;
      for (let zone = 0; zone < tag.slots.length; zone++) {
        const slot = tag.slots[zone];
        if (slot === undefined || slot.state === ABSENT) continue;
        const at = this.dueAt(slot);
        if (at <= now && at < dueAt) {
          due = slot;
          dueZone = zone;
          dueAt = at;
        }
      }
      if (due === undefined) return;
      this.end(tag, dueZone, due, dueAt);
    }
  }

  private end(tag: TagTrack, zone: number, slot: ZoneSlot, at: number): void {
    const wasObserved = slot.state === OBSERVED;
    slot.state = ABSENT;
    tag.active--;
    if (wasObserved) this.observer.lost(tag, zone, slot, at);
    else this.stats.glimpsesDropped++;
    if (tag.active === 0) this.observer.idle(tag, at);
  }

  private forget(tag: TagTrack): void {
    this.tags.delete(tag.epc);
    if (this.last === tag) this.last = undefined;
  }

  private admit(epc: string, at: number): TagTrack {
    if (this.tags.size >= this.settings.maxTags) {
      this.tick(at);
      // Still full: forget the least recently read tag, ending its visits now.
      for (const oldest of this.tags.values()) {
        if (this.tags.size < this.settings.maxTags) break;
        for (let zone = 0; zone < oldest.slots.length; zone++) {
          const slot = oldest.slots[zone];
          if (slot !== undefined && slot.state !== ABSENT)
            this.end(oldest, zone, slot, Math.max(at, slot.lastSeen));
        }
        this.forget(oldest);
        this.stats.evicted++;
        this.onEvict(oldest);
      }
    }
    const tag = new TagTrack(epc, this.table.antennaCount);
    this.tags.set(epc, tag);
    this.last = tag;
    return tag;
  }
}
