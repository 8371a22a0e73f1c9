import type {
  DockOrder,
  LedgerEntry,
  MovementData,
  NodeAlert,
  SiteFormat,
  StockRow,
  TagPlace,
} from "@comptoir/contracts";
import type { Read } from "../readers/identity.js";

/**
 * What the node's local HTTP API and pages may ask of the running node.
 * The runtime (node/runtime.ts) implements it; tests may too.
 */
export interface NodeApi {
  readonly nodeId: string;
  readonly role: "portal" | "shelf" | "counter" | "station";
  health(): NodeHealth;
  stock(filter?: { zone?: string; sku?: string }): StockRow[];
  /** Where a tag is and its last movements, newest first. */
  tag(epc: string): { place: TagPlace | undefined; movements: RecordedMovement[] };
  recentReads(limit: number): Read[];
  /** The zone a reader's antenna covers, from the node's config; undefined when none is mapped. */
  zoneOf(reader: string, antenna: number): string | undefined;
  recentMovements(limit: number): RecordedMovement[];
  /** Tags seen on site whose SKU nobody knows yet, waiting to be commissioned. */
  unknownTags(): { epc: string; zone: string | null }[];
  /** Zones of this node, from its antennas. */
  zones(): string[];
  /** Records that a tag is one item of a SKU (a "commission" entry). */
  commission(input: { epc: string; sku: string; gtin?: string }): Promise<LedgerEntry>;
  /** The dock's current order and customer, given to outbound movements. */
  dockOrder(): { order: string | null; customer: string | null };
  /** The dock's order with what the node knows of its state (issue 15). */
  dockView(): DockOrder;
  /**
   * Sets the dock's order, or clears it (`order: null`, always allowed). Throws
   * DockRefusal (orders/dock.ts) for a held or cancelled order, and for an order
   * never heard of when `dock.unknownOrders` is "refuse".
   */
  setDockOrder(order: { order: string | null; customer: string | null }): void;
  /** The latest alerts (goods left under credit hold), newest first. */
  alerts(): NodeAlert[];
  /** How the pages write money and dates: the gateway's site formats once heard, the node's own before. */
  siteFormat(): SiteFormat & { source: "node" | "gateway" };
  /**
   * Station action: moves items to a zone (one "movement" entry each: receive
   * or putaway), optionally assigning them to an order and customer.
   */
  move(input: MoveInput): Promise<LedgerEntry[]>;
  /** Station action: expected tags of a zone against those seen; differences posted as adjustments. */
  cycleCount(input: { zone: string; seen: string[]; reason: string }): Promise<CycleCountResult>;
  /** Live events for pages: each read, movement and stock change. Returns an unsubscribe function. */
  subscribe(listener: (event: NodeEvent) => void): () => void;
}

export interface MoveInput {
  epcs: string[];
  zone: string;
  reason?: string;
  order?: string;
  customer?: string;
}

export interface RecordedMovement extends MovementData {
  seq: number;
}

export interface NodeHealth {
  ok: boolean;
  parts: Record<string, { ok: boolean; detail?: string }>;
}

export interface CycleCountResult {
  zone: string;
  expected: number;
  seen: number;
  missing: string[];
  unexpected: string[];
  adjustments: number;
}

export type NodeEvent =
  | { type: "read"; read: Read }
  | { type: "movement"; movement: RecordedMovement }
  | { type: "stock"; rows: StockRow[] }
  | { type: "scan"; read: Read }
  /** Goods left under an order the dock may not ship: pages show a banner at once. */
  | { type: "alert"; alert: NodeAlert }
  /** The dock's order, or what the node knows of its state, changed. */
  | { type: "dock"; dock: DockOrder };
