import type { Clock, LedgerEntry, Logger, SiteFormat } from "@comptoir/contracts";
import type { PosConfigSchema } from "@comptoir/firmware-config";
import type { z } from "zod";
import type { BasketItem, MovementEngineEvent } from "../movements/events.js";
import type { AttemptsFile } from "./attempts-file.js";
import type { LineInput, PricedBasket } from "./basket.js";
import type { PosCache } from "./cache.js";
import type { ClockSyncState } from "./clock-sync.js";

/** The POS's inputs, events and what it needs of the node. */

export type PosConfig = z.infer<typeof PosConfigSchema>;

/** What the POS needs of the node (a NodeRuntime fits). */
export interface PosNode {
  readonly nodeId: string;
  readonly ledger: { readonly head: { seq: number } };
  readonly engine: {
    on(listener: (event: MovementEngineEvent) => void): () => void;
    basket(zone?: string): BasketItem[];
  };
  readonly stockStore: {
    projection: { tag(epc: string): { sku: string | null; zone: string | null } | undefined };
  };
  /** The tag's recent movements, newest first. */
  tag(epc: string): { movements: { kind: string }[] };
  record(type: string, data: unknown): Promise<LedgerEntry>;
}

export type PosEvent =
  | { type: "basket"; basket: PricedBasket }
  | { type: "credit"; customer: string }
  | { type: "link"; online: boolean };

export interface SaleInput {
  customer?: string | undefined;
  payment: "cash" | "account";
  clerk: string;
  lines: LineInput[];
  /** A supervisor lets lines under cost through (policy "block"). */
  belowCostOverride?: { supervisor: string; pin: string; reason: string } | undefined;
}

export interface OverrideInput {
  customer: string;
  clerk: string;
  supervisor: string;
  pin: string;
  reason: string;
  lines: LineInput[];
}

export interface PosServiceOptions {
  node: PosNode;
  cache: PosCache;
  config: PosConfig;
  /** True while the node is connected to the gateway's broker. */
  online: () => boolean;
  /**
   * Whether the OS says the clock is NTP-synchronised (ClockSyncWatch.current fits). "unsynced"
   * makes the snapshot's age unknown offline; "unknown" and absent count as synchronised.
   */
  clockSync?: () => ClockSyncState;
  /**
   * The site's locale and currency now (the gateway's once heard): verdicts
   * write amounts in them. The default locale and the catalog's currency when absent.
   */
  format?: () => SiteFormat;
  /** The counter reader, named in sale movements. */
  reader: string;
  clock?: Clock;
  logger?: Logger;
  /** Where wrong-PIN counters are kept between restarts; in memory when absent. */
  attemptsFile?: AttemptsFile;
}
