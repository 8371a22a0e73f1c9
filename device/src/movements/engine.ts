import { type Clock, type Logger, silentLogger, systemClock } from "@comptoir/contracts";
import type { NodeConfig, SmoothingConfig } from "@comptoir/firmware-config";
import type { Read } from "../readers/identity.js";
import { CounterLogic } from "./counter.js";
import type { BasketItem, MovementEngineEvent, MovementEngineListener } from "./events.js";
import { MovementFactory, type SkuLookup } from "./evidence.js";
import type { PlaceLookup } from "./place.js";
import { type DockOrder, PortalLogic } from "./portal.js";
import { OBSERVED, type PresenceObserver, PresenceTracker } from "./presence.js";
import {
  antennaZones,
  checkZones,
  type NodeRole,
  type SmoothingInput,
  smoothingSettings,
} from "./settings.js";
import { ShelfLogic } from "./shelf.js";
import { StationLogic } from "./station.js";
import { type AntennaZone, ZoneTable } from "./zones.js";

export interface MovementEngineDeps {
  /** Commissioned tags: the SKU of an EPC (undefined or null: not commissioned here). */
  lookupSku?: SkuLookup;
  /** Where the stock says a tag is (shelf nodes: the `from` of a put-away). */
  placeOf?: PlaceLookup;
  /** Portal nodes: the dock's current order and customer, given to outbound movements. */
  dockOrder?: () => DockOrder;
  /** For `tick()` without a time. */
  clock?: Clock;
  logger?: Logger;
}

export interface MovementEngineOptions extends MovementEngineDeps {
  role: NodeRole;
  antennas: readonly AntennaZone[];
  smoothing?: SmoothingInput;
}

/** How often the dwell check looks back, and the fewest dropped glimpses worth a warning. */
const DWELL_WINDOW_MS = 60_000;
const DWELL_WARN_MIN = 20;

export interface MovementEngineStats {
  /** Reads handed to push(). */
  reads: number;
  /** Reads dropped as duplicates (same tag and antenna within dedupMs). */
  duplicates: number;
  /** Reads from an antenna no zone is mapped to, or with an unreadable time. */
  ignored: number;
  /** Tags forgotten because maxTags were followed at once. */
  evicted: number;
  /** Glimpses dropped before the dwell: stray reads, or tags read less often than glimpsedTimeoutMs. */
  glimpsesDropped: number;
  /** Tags followed now. */
  tracked: number;
}

/**
 * Reads in, movements (and baskets, scans) out: the node's "from reads to
 * movements" (architecture.md). `push()` each read, call `tick()` a few times
 * a second (see startTicker) so that tags that stop being read leave their
 * zones, and append each "movement" event's data to the ledger.
 */
export class MovementEngine {
  readonly role: NodeRole;
  readonly settings: SmoothingConfig;
  private readonly table: ZoneTable;
  private readonly tracker: PresenceTracker;
  private readonly counter: CounterLogic | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly listeners: MovementEngineListener[] = [];
  private lastIso = "";
  private lastMs = 0;
  private readonly dedupMs: number;
  private ignored = 0;
  private readonly unmapped = new Set<string>();
  private dwellWindow = { since: 0, dropped: 0, observed: 0 };

  constructor(options: MovementEngineOptions) {
    this.role = options.role;
    this.settings = smoothingSettings(options.smoothing);
    this.dedupMs = this.settings.dedupMs;
    this.table = new ZoneTable(options.antennas);
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? silentLogger).child({ module: "movements" });
    const { portalZones } = checkZones(this.role, this.table, this.settings);
    const factory = new MovementFactory(options.lookupSku, this.log);
    const emit = (event: MovementEngineEvent) => this.emit(event);
    const zones = this.table.zones;
    let logic: PresenceObserver;
    if (this.role === "portal") {
      logic = new PortalLogic(
        zones,
        portalZones,
        this.settings.simultaneousMs,
        factory,
        options.dockOrder,
        emit,
        this.log,
      );
    } else if (this.role === "shelf") {
      logic = new ShelfLogic(zones, this.settings.pickedZone, factory, options.placeOf, emit);
    } else if (this.role === "counter") {
      this.counter = new CounterLogic(zones, factory, emit);
      logic = this.counter;
    } else {
      logic = new StationLogic(zones, factory, emit);
    }
    this.tracker = new PresenceTracker(this.table, this.settings, logic, (tag) => {
      if (this.tracker.stats.evicted === 1 || this.tracker.stats.evicted % 10_000 === 0)
        this.log.warn(
          { epc: tag.epc, maxTags: this.settings.maxTags, evicted: this.tracker.stats.evicted },
          "following too many tags at once: forgot the least recently read — raise smoothing.maxTags",
        );
    });
    this.log.info(
      { role: this.role, zones, ...(portalZones.length ? { portalZones } : {}) },
      "movement engine ready",
    );
  }

  /** An engine for a node config: its role, its readers' antennas, its smoothing settings. */
  static fromConfig(
    config: Pick<NodeConfig, "node" | "readers" | "smoothing">,
    deps: MovementEngineDeps = {},
  ): MovementEngine {
    return new MovementEngine({
      ...deps,
      role: config.node.role,
      antennas: antennaZones(config),
      ...(config.smoothing ? { smoothing: config.smoothing } : {}),
    });
  }

  /**
   * One read. `at` (ms since the epoch) defaults to the read's hostTime. The
   * hot path: a duplicate costs a map lookup and allocates nothing.
   */
  push(read: Read, at?: number): void {
    const antenna = this.table.antenna(read.reader, read.antenna);
    let time: number;
    if (at !== undefined) time = at;
    else {
      // inline (no call returning a double): a time crossing a call is boxed, i.e. allocated
      const iso = read.hostTime;
      if (iso !== this.lastIso) {
        this.lastMs = Date.parse(iso);
        this.lastIso = iso;
      }
      time = this.lastMs;
    }
    if (antenna < 0 || Number.isNaN(time)) {
      this.ignore(read, antenna < 0);
      return;
    }
    // The duplicate path, kept in this function for the same reason.
    const tag = this.tracker.get(read.epc);
    if (tag !== undefined && time - (tag.antennaLast[antenna] as number) < this.dedupMs) {
      this.tracker.stats.reads++;
      this.tracker.stats.duplicates++;
      return;
    }
    this.tracker.read(read, antenna, time);
  }

  /** Lets time pass: tags not read for their timeout leave their zones. */
  tick(now: number | Date = this.clock.now()): void {
    const ms = typeof now === "number" ? now : now.getTime();
    this.tracker.tick(ms);
    this.checkDwell(ms);
  }

  /**
   * Tags that sit in front of an antenna but are read less often than
   * glimpsedTimeoutMs never meet the dwell and would vanish without a word.
   * Once a minute, when most glimpses were dropped, say so and what to change.
   */
  private checkDwell(now: number): void {
    if (now - this.dwellWindow.since < DWELL_WINDOW_MS) return;
    const { glimpsesDropped, observations } = this.tracker.stats;
    const dropped = glimpsesDropped - this.dwellWindow.dropped;
    const observed = observations - this.dwellWindow.observed;
    this.dwellWindow = { since: now, dropped: glimpsesDropped, observed: observations };
    if (dropped >= DWELL_WARN_MIN && dropped > observed) {
      this.log.warn(
        {
          dropped,
          observed,
          observedReads: this.settings.observedReads,
          glimpsedTimeoutMs: this.settings.glimpsedTimeoutMs,
        },
        `${dropped} tags were read but dropped before the dwell in the last minute (${observed} confirmed): if they are really there, they are read less often than smoothing.glimpsedTimeoutMs — raise it (shelves: 2000-5000) or lower smoothing.observedReads`,
      );
    }
  }

  /** Listens to movements, basket changes and scans. Returns the unsubscribe function. */
  on(listener: MovementEngineListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Tags present (observed, not yet lost) in a zone, sorted. */
  present(zone: string): string[] {
    const index = this.table.zoneIndex(zone);
    if (index < 0) return [];
    return [...this.tracker.observedIn(index)].map((tag) => tag.epc).sort();
  }

  /** Counter nodes: the basket of a counter zone (or of all), sorted by EPC. Empty elsewhere. */
  basket(zone?: string): BasketItem[] {
    return this.counter?.basket(zone) ?? [];
  }

  /** The zones of this node's antennas, in config order. */
  zones(): readonly string[] {
    return this.table.zones;
  }

  get stats(): MovementEngineStats {
    const { reads, duplicates, evicted, glimpsesDropped } = this.tracker.stats;
    return {
      reads: reads + this.ignored,
      duplicates,
      ignored: this.ignored,
      evicted,
      glimpsesDropped,
      tracked: this.tracker.size,
    };
  }

  /** Whether a tag is observed in a zone now. */
  isPresent(epc: string, zone: string): boolean {
    const index = this.table.zoneIndex(zone);
    return index >= 0 && this.tracker.get(epc)?.slots[index]?.state === OBSERVED;
  }

  private ignore(read: Read, unmapped: boolean): void {
    this.ignored++;
    const key = unmapped ? `${read.reader}#${read.antenna}` : "time";
    if (this.unmapped.has(key) || this.unmapped.size > 64) return;
    this.unmapped.add(key);
    if (unmapped)
      this.log.warn(
        { reader: read.reader, antenna: read.antenna },
        "ignoring reads from an antenna no zone is mapped to — add it to readers[].antennas in the node config",
      );
    else this.log.warn({ hostTime: read.hostTime }, "ignoring reads whose hostTime is not a time");
  }

  private emit(event: MovementEngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.warn({ err: error, event: event.type }, "a movement listener failed");
      }
    }
  }
}
