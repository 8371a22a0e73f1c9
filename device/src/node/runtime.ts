import { EventEmitter } from "node:events";
import { join } from "node:path";
import {
  type Clock,
  COMMISSION_TYPE,
  CommissionDataSchema,
  type DockOrder,
  type DockOrderState,
  HOLD_BREACH_TYPE,
  type HoldBreachData,
  type LedgerEntry,
  type Logger,
  loadIdentity,
  MOVEMENT_TYPE,
  type MovementData,
  type NodeAlert,
  type OrderStateMessage,
  silentLogger,
  systemClock,
} from "@comptoir/contracts";
import type { NodeConfig } from "@comptoir/firmware-config";
import { Ledger } from "../ledger/ledger.js";
import { MovementEngine, startTicker } from "../movements/index.js";
import { OrderCache } from "../orders/cache.js";
import { breachMessage, DockRules, stateView } from "../orders/dock.js";
import type { ClockSyncProbe } from "../pos/clock-sync.js";
import { decodeIdentity, type Read } from "../readers/identity.js";
import { protocolByName } from "../readers/index.js";
import { ReaderSession } from "../readers/session.js";
import type { OpenTransport, SerialBinding } from "../readers/transport/index.js";
import { SiteFormats } from "../site/site-format.js";
import { StockStore } from "../stock/stock-store.js";
import type {
  CycleCountResult,
  MoveInput,
  NodeApi,
  NodeEvent,
  NodeHealth,
  RecordedMovement,
} from "./api.js";
import { Recent } from "./recent.js";
import { cycleCountMovements, moveMovements } from "./station-actions.js";

export interface NodeRuntimeOptions {
  config: NodeConfig;
  /** node.dataDir, already resolved against the config file's folder. */
  dataDir: string;
  logger?: Logger;
  clock?: Clock;
  /** serialport binding (MockBinding in tests) and transport override (in-process simulators). */
  binding?: SerialBinding;
  openTransport?: OpenTransport;
  /** Counter nodes: whether the OS says the clock is NTP-synchronised (osClockSync by default). */
  clockSync?: ClockSyncProbe;
}

/**
 * The node's core: its ledger, the stock projected from it, its readers,
 * and what the local API and pages may ask. Every state change goes through
 * `record()`: appended durably first, then applied to stock, then announced.
 */
export class NodeRuntime implements NodeApi {
  readonly nodeId: string;
  readonly role: NodeConfig["node"]["role"];
  readonly ledger: Ledger;
  readonly stockStore: StockStore;
  readonly readers: ReaderSession[] = [];
  /** Reads → movements (and the counter's basket, the station's scans). */
  readonly engine: MovementEngine;
  /** The locale and currency pages and verdicts use: the gateway's once heard (start.ts). */
  readonly formats: SiteFormats;
  private stopTicker: (() => void) | undefined;
  private readonly config: NodeConfig;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly events = new EventEmitter<{ event: [NodeEvent] }>();
  private readonly reads = new Recent<Read>(200);
  private readonly movements = new Recent<RecordedMovement>(200);
  /** The last alerts, for a page opened after they were raised. */
  private readonly recentAlerts = new Recent<NodeAlert>(10);
  private readonly orders: OrderCache;
  private readonly dock: DockRules;
  private readonly antennaZones = new Map<string, Map<number, string>>();

  private constructor(
    options: NodeRuntimeOptions,
    ledger: Ledger,
    stockStore: StockStore,
    orders: OrderCache,
  ) {
    this.config = options.config;
    this.orders = orders;
    this.dock = new DockRules(orders, options.config.dock);
    this.nodeId = options.config.node.id;
    this.role = options.config.node.role;
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? silentLogger).child({ module: "node" });
    const { locale, currency, timeZone } = options.config.node;
    this.formats = new SiteFormats(
      { locale, currency, ...(timeZone ? { timeZone } : {}) },
      options.logger ? { logger: options.logger } : {},
    );
    this.ledger = ledger;
    this.stockStore = stockStore;
    for (const reader of options.config.readers) {
      this.antennaZones.set(reader.id, new Map(reader.antennas.map((a) => [a.port, a.zone])));
    }
    const projection = stockStore.projection;
    this.engine = MovementEngine.fromConfig(options.config, {
      lookupSku: (epc) => projection.tag(epc)?.sku ?? undefined,
      placeOf: (epc) => projection.tag(epc)?.zone ?? null,
      dockOrder: () => this.dockOrder(),
      clock: this.clock,
      logger: options.logger ?? silentLogger,
    });
    this.engine.on((event) => {
      if (event.type === "movement") {
        this.record(MOVEMENT_TYPE, event.movement).catch((error: unknown) => {
          this.log.error({ err: error, epc: event.movement.epc }, "could not record a movement");
        });
      } else if (event.type === "scanned") {
        // Once per visit to the scanning antenna, after the dwell: not once per raw read.
        const identity = decodeIdentity(event.epc);
        const read: Read = {
          epc: event.epc,
          antenna: event.antennas[0] ?? 1,
          hostTime: event.at,
          reader: event.reader,
          ...(identity ? { identity } : {}),
        };
        this.emit({ type: "scan", read });
      }
    });
    this.onRead = (read) => this.engine.push(read);
  }

  static async start(options: NodeRuntimeOptions): Promise<NodeRuntime> {
    const { config, dataDir } = options;
    const logger = options.logger ?? silentLogger;
    const identity = await loadIdentity(dataDir);
    const ledger = await Ledger.open({
      dir: config.ledger.dir ?? join(dataDir, "ledger"),
      chain: config.node.id,
      identity,
      fsync: config.ledger.fsync,
      groupCommitMs: config.ledger.groupCommitMs ?? defaultCommitWindowMs(config.node.role),
      segmentBytes: config.ledger.segmentBytes,
      checkpointEvery: config.ledger.checkpointEvery,
      verifyOnOpen: config.ledger.verifyOnStart,
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const stockStore = await StockStore.open(ledger, { path: join(dataDir, "stock.json"), logger });
    const orders = await OrderCache.open(dataDir, {
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const runtime = new NodeRuntime(options, ledger, stockStore, orders);
    runtime.stopTicker = startTicker(runtime.engine);
    runtime.startReaders(options);
    return runtime;
  }

  /** Appends an entry, applies it to stock once durable, and tells the pages. */
  async record(type: string, data: unknown): Promise<LedgerEntry> {
    const entry = await this.ledger.append(type, data);
    this.stockStore.apply(entry);
    this.onRecorded?.(entry);
    if (type === MOVEMENT_TYPE) {
      const movement = { ...(data as MovementData), seq: entry.seq };
      this.movements.push(movement);
      this.emit({ type: "movement", movement });
    }
    if (type === MOVEMENT_TYPE || type === COMMISSION_TYPE)
      this.emit({ type: "stock", rows: this.stock() });
    if (type === MOVEMENT_TYPE) this.checkHold(data as MovementData);
    return entry;
  }

  /**
   * Goods left under an order the dock may not ship: the movement is already
   * recorded (the ledger records what happened); one `hold-breach` entry per
   * order per assignment follows, and the pages are told at once.
   */
  private checkHold(movement: MovementData): void {
    let breach: HoldBreachData | undefined;
    try {
      breach = this.dock.breach(movement, !this.online(), this.clock.now().toISOString());
    } catch (error) {
      // The movement is recorded; only the alert could not be made of it.
      this.log.error({ err: error, order: movement.order }, "could not check a shipment's order");
      return;
    }
    if (!breach) return;
    this.record(HOLD_BREACH_TYPE, breach).then(
      (entry) => this.raise(breach, entry.seq),
      (error: unknown) =>
        this.log.error({ err: error, order: breach.order }, "could not record a hold breach"),
    );
  }

  private raise(breach: HoldBreachData, seq: number): void {
    const customerName = this.orders.get(breach.order)?.customerName ?? null;
    const alert: NodeAlert = {
      kind: "hold-breach",
      message: breachMessage(breach, customerName),
      order: breach.order,
      customer: breach.customer,
      customerName,
      state: breach.state,
      reasons: breach.reasons,
      offline: breach.offline,
      at: breach.at,
      seq,
    };
    this.recentAlerts.push(alert);
    this.log.warn({ order: breach.order, state: breach.state, seq }, alert.message);
    this.emit({ type: "alert", alert });
  }

  /** Whether the node is connected to the broker (set by the assembly; false without sync). */
  online: () => boolean = () => false;

  /** A validated order state from the gateway: kept, and shown if it is the dock's order. */
  orderState(state: OrderStateMessage): void {
    if (this.dock.put(state)) this.emit({ type: "dock", dock: this.dockView() });
  }

  /** The latest alerts, newest first. */
  alerts(): NodeAlert[] {
    return this.recentAlerts.newest(10);
  }

  siteFormat() {
    return { ...this.formats.format, source: this.formats.source };
  }

  /** A read from any reader: kept for the pages, and handed to `onRead` (the movement engine). */
  handleRead(read: Read): void {
    this.reads.push(read);
    this.emit({ type: "read", read });
    this.onRead?.(read);
  }

  /** Health of the parts the assembly adds (sync). */
  moreHealth: (() => NodeHealth["parts"]) | undefined;

  /** Called after each entry is durable (the sync sends it at once). */
  onRecorded: ((entry: LedgerEntry) => void) | undefined;

  /** Where reads go next: the movement engine. */
  onRead: ((read: Read) => void) | undefined;

  zoneOf(reader: string, antenna: number): string | undefined {
    return this.antennaZones.get(reader)?.get(antenna);
  }

  health(): NodeHealth {
    const parts: NodeHealth["parts"] = {
      ledger: { ok: true, detail: `head seq ${this.ledger.head.seq}` },
    };
    Object.assign(parts, this.moreHealth?.());
    for (const reader of this.readers) {
      parts[`reader:${reader.id}`] = {
        ok: reader.state === "reading",
        ...(reader.detail ? { detail: reader.detail } : { detail: reader.state }),
      };
    }
    return { ok: Object.values(parts).every((part) => part.ok), parts };
  }

  stock(filter: { zone?: string; sku?: string } = {}) {
    return this.stockStore.projection.rows(filter);
  }

  tag(epc: string) {
    return {
      place: this.stockStore.projection.tag(epc),
      movements: this.movements.newest(200).filter((movement) => movement.epc === epc),
    };
  }

  recentReads(limit: number): Read[] {
    return this.reads.newest(limit);
  }

  recentMovements(limit: number): RecordedMovement[] {
    return this.movements.newest(limit);
  }

  unknownTags(): { epc: string; zone: string | null }[] {
    return this.stockStore.projection
      .snapshot()
      .tags.filter(([, place]) => place.sku === null && place.gtin === undefined)
      .map(([epc, place]) => ({ epc, zone: place.zone }));
  }

  zones(): string[] {
    const zones = new Set<string>();
    for (const antennas of this.antennaZones.values())
      for (const zone of antennas.values()) zones.add(zone);
    return [...zones].sort();
  }

  async commission(input: { epc: string; sku: string; gtin?: string }): Promise<LedgerEntry> {
    return this.record(COMMISSION_TYPE, CommissionDataSchema.parse(input));
  }

  dockOrder() {
    return this.dock.current();
  }

  /** What the node knows of an order's state (from the gateway's retained messages). */
  orderStateOf(order: string): DockOrderState {
    return stateView(this.orders.get(order));
  }

  /** The dock's order with what the node knows of its state. */
  dockView(): DockOrder {
    const current = this.dock.current();
    return { ...current, state: this.dock.stateOf(current.order) };
  }

  /** Throws DockRefusal for a held or cancelled order (or an unknown one under "refuse"). */
  setDockOrder(order: { order: string | null; customer: string | null }): void {
    const set = this.dock.assign(order);
    this.log.info(set, "dock order set");
    this.emit({ type: "dock", dock: this.dockView() });
  }

  async move(input: MoveInput): Promise<LedgerEntry[]> {
    const movements = moveMovements(this.stockStore.projection, input, this.stationEvidence());
    return Promise.all(movements.map((movement) => this.record(MOVEMENT_TYPE, movement)));
  }

  async cycleCount(input: {
    zone: string;
    seen: string[];
    reason: string;
  }): Promise<CycleCountResult> {
    const { result, movements } = cycleCountMovements(
      this.stockStore.projection,
      input,
      this.stationEvidence(),
    );
    await Promise.all(movements.map((movement) => this.record(MOVEMENT_TYPE, movement)));
    return result;
  }

  subscribe(listener: (event: NodeEvent) => void): () => void {
    this.events.on("event", listener);
    return () => this.events.off("event", listener);
  }

  /** Stops readers, writes the stock snapshot, closes the ledger with a final checkpoint. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.readers.map((reader) => reader.stop()));
    this.stopTicker?.();
    await this.stockStore.close();
    await this.orders.flush();
    await this.ledger.close();
    this.log.info({ head: this.ledger.head.seq }, "node stopped");
  }

  private startReaders(options: NodeRuntimeOptions): void {
    for (const reader of options.config.readers) {
      const session = new ReaderSession({
        id: reader.id,
        protocol: protocolByName(reader.protocol),
        url: reader.url,
        settings: {
          antennas: reader.antennas.map((antenna) => antenna.port),
          ...(reader.region ? { region: reader.region } : {}),
          ...(reader.power !== undefined ? { power: reader.power } : {}),
        },
        logger: options.logger ?? silentLogger,
        ...(options.binding ? { binding: options.binding } : {}),
        ...(options.openTransport ? { open: options.openTransport } : {}),
      });
      session.on("read", (read) => this.handleRead(read));
      this.readers.push(session.start());
    }
  }

  private stationEvidence(): Pick<MovementData, "reader" | "antennas" | "reads" | "at"> {
    return {
      reader: this.config.readers[0]?.id ?? "station",
      antennas: [1],
      reads: 1,
      at: this.clock.now().toISOString(),
    };
  }

  private emit(event: NodeEvent): void {
    try {
      this.events.emit("event", event);
    } catch (error) {
      this.log.warn({ err: error }, "a page listener failed");
    }
  }
}

/**
 * The ledger's commit window when the config gives none: a shelf's
 * put-aways can wait a second to be durable, and one commit a second keeps
 * its SD card under 1 GB a day at 10 movements/s (`comptoir bench wear`);
 * portals, stations and counters commit within 10 ms.
 */
export function defaultCommitWindowMs(role: string): number {
  return role === "shelf" ? 1000 : 10;
}
