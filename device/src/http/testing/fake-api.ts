import {
  COMMISSION_TYPE,
  type DockOrder,
  GENESIS_PREV,
  type LedgerEntry,
  MOVEMENT_TYPE,
  type MovementData,
  type NodeAlert,
  type OrderStateMessage,
  type SiteFormat,
  StockProjection,
  sealEntry,
} from "@comptoir/contracts";
import type {
  CycleCountResult,
  NodeApi,
  NodeEvent,
  NodeHealth,
  RecordedMovement,
} from "../../node/api.js";
import { cycleCountMovements, moveMovements } from "../../node/station-actions.js";
import { dockRefusal, stateView } from "../../orders/dock.js";
import type { Read } from "../../readers/identity.js";

const AT = "2026-11-22T09:00:00.000Z";

/**
 * A NodeApi held in memory for route and page tests: the real stock fold
 * and station actions, no ledger files. It records what it was asked to
 * write, and tests drive its events (reads, scans, movements) by hand.
 */
export class FakeNodeApi implements NodeApi {
  readonly nodeId: string;
  readonly role: NodeApi["role"];
  readonly projection = new StockProjection();
  readonly calls: { method: string; input: unknown }[] = [];
  healthParts: NodeHealth["parts"] = {
    ledger: { ok: true, detail: "head seq 0" },
    "reader:desk": { ok: true, detail: "reading" },
    sync: { ok: true, detail: "acked 0" },
  };
  /** When set, the next write throws this error (a ledger that cannot append). */
  failNextWrite: Error | undefined;
  private seq = 0;
  private readonly reads: Read[] = [];
  private readonly movements: RecordedMovement[] = [];
  private readonly listeners = new Set<(event: NodeEvent) => void>();
  private order: { order: string | null; customer: string | null } = {
    order: null,
    customer: null,
  };
  private readonly antennaZones: string[];
  /** Order states as if received from the gateway (`putOrderState`); the dock refuses by them. */
  private readonly orderStates = new Map<string, OrderStateMessage>();
  private readonly raised: NodeAlert[] = [];
  /** What the dock does with an order it has no state for. */
  unknownOrders: "allow-with-alert" | "refuse" = "allow-with-alert";

  constructor(options: { nodeId?: string; role?: NodeApi["role"]; zones?: string[] } = {}) {
    this.nodeId = options.nodeId ?? "desk-1";
    this.role = options.role ?? "station";
    this.antennaZones = options.zones ?? ["dock", "shelf-a"];
  }

  health(): NodeHealth {
    return {
      ok: Object.values(this.healthParts).every((part) => part.ok),
      parts: this.healthParts,
    };
  }
  stock(filter: { zone?: string; sku?: string } = {}) {
    return this.projection.rows(filter);
  }
  tag(epc: string) {
    return {
      place: this.projection.tag(epc),
      movements: this.movements.filter((movement) => movement.epc === epc).reverse(),
    };
  }
  recentReads(limit: number): Read[] {
    return this.reads.slice(-limit).reverse();
  }
  recentMovements(limit: number): RecordedMovement[] {
    return this.movements.slice(-limit).reverse();
  }
  unknownTags() {
    return this.projection
      .snapshot()
      .tags.filter(
        ([, place]) => place.sku === null && place.gtin === undefined && place.zone !== null,
      )
      .map(([epc, place]) => ({ epc, zone: place.zone }));
  }
  zones(): string[] {
    return [...this.antennaZones];
  }
  /** Antenna n of every reader covers the nth zone given. */
  zoneOf(_reader: string, antenna: number): string | undefined {
    return this.antennaZones[antenna - 1];
  }
  async commission(input: { epc: string; sku: string; gtin?: string }): Promise<LedgerEntry> {
    this.calls.push({ method: "commission", input });
    return this.record(COMMISSION_TYPE, input);
  }
  dockOrder() {
    return { ...this.order };
  }
  dockView(): DockOrder {
    const known = this.order.order === null ? undefined : this.orderStates.get(this.order.order);
    return { ...this.order, state: this.order.order === null ? null : stateView(known) };
  }
  setDockOrder(order: { order: string | null; customer: string | null }): void {
    this.calls.push({ method: "setDockOrder", input: order });
    if (order.order !== null) {
      const known = this.orderStates.get(order.order);
      const refusal = dockRefusal(order.order, known, this.unknownOrders);
      if (refusal) throw refusal;
      this.order = { order: order.order, customer: order.customer ?? known?.customer ?? null };
    } else this.order = { order: null, customer: null };
    this.emit({ type: "dock", dock: this.dockView() });
  }
  /** What `/node` says the pages format with; tests set another site's. */
  format: SiteFormat & { source: "node" | "gateway" } = {
    locale: "en-GB",
    currency: "EUR",
    source: "node",
  };

  siteFormat() {
    return this.format;
  }

  alerts(): NodeAlert[] {
    return [...this.raised].reverse();
  }

  /** An order state arrives from the gateway; the page hears of it when it is the dock's order. */
  putOrderState(state: OrderStateMessage): void {
    this.orderStates.set(state.order, state);
    if (state.order === this.order.order) this.emit({ type: "dock", dock: this.dockView() });
  }

  /** Raises an alert as the runtime does when goods leave under a hold. */
  raiseAlert(alert: NodeAlert): void {
    this.raised.push(alert);
    this.emit({ type: "alert", alert });
  }
  async move(input: { epcs: string[]; zone: string; reason?: string }): Promise<LedgerEntry[]> {
    this.calls.push({ method: "move", input });
    this.throwIfFailing();
    const movements = moveMovements(this.projection, input, this.evidence());
    return Promise.all(movements.map((movement) => this.record(MOVEMENT_TYPE, movement)));
  }
  async cycleCount(input: {
    zone: string;
    seen: string[];
    reason: string;
  }): Promise<CycleCountResult> {
    this.calls.push({ method: "cycleCount", input });
    this.throwIfFailing();
    const { result, movements } = cycleCountMovements(this.projection, input, this.evidence());
    for (const movement of movements) await this.record(MOVEMENT_TYPE, movement);
    return result;
  }
  subscribe(listener: (event: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** A reader saw a tag: a `read` event, and a `scan` on a station. */
  emitRead(epc: string, extra: Partial<Read> = {}): Read {
    const read: Read = { epc, antenna: 1, rssi: -52, hostTime: AT, reader: "desk", ...extra };
    this.reads.push(read);
    this.emit({ type: "read", read });
    if (this.role === "station") this.emit({ type: "scan", read });
    return read;
  }

  /** Records a movement as the movement engine would (a portal seeing goods pass). */
  async emitMovement(
    movement: Partial<MovementData> & { epc: string; to: string | null },
  ): Promise<LedgerEntry> {
    const data: MovementData = {
      sku: null,
      kind: "receive",
      from: null,
      reader: "door",
      antennas: [1],
      reads: 3,
      at: AT,
      ...movement,
    };
    return this.record(MOVEMENT_TYPE, data);
  }

  private async record(type: string, data: unknown): Promise<LedgerEntry> {
    this.throwIfFailing();
    this.seq++;
    const { entry } = sealEntry({
      seq: this.seq,
      ts: AT,
      chain: this.nodeId,
      type,
      data,
      prev: GENESIS_PREV,
    });
    this.projection.apply(entry);
    if (type === MOVEMENT_TYPE) {
      const movement = { ...(data as MovementData), seq: entry.seq };
      this.movements.push(movement);
      this.emit({ type: "movement", movement });
    }
    this.emit({ type: "stock", rows: this.stock() });
    return entry;
  }

  private throwIfFailing(): void {
    const error = this.failNextWrite;
    if (error) {
      this.failNextWrite = undefined;
      throw error;
    }
  }

  private evidence() {
    return { reader: "desk", antennas: [1], reads: 1, at: AT };
  }

  private emit(event: NodeEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
