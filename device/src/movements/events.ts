import type { MovementData } from "@comptoir/contracts";

/** One item on a counter: the basket the credit check prices. */
export interface BasketItem {
  epc: string;
  sku: string | null;
  gtin?: string;
}

export type MovementEngineEvent =
  /** A movement, ready for `ledger.append("movement", movement)`. */
  | { type: "movement"; movement: MovementData }
  /** Counter nodes: the tags on a counter zone changed. `items`: the whole basket, by EPC. */
  | {
      type: "basket";
      zone: string;
      items: BasketItem[];
      added: string[];
      removed: string[];
      at: string;
    }
  /** Station nodes: a tag was put on the scanning antenna (once per visit, after the dwell). */
  | {
      type: "scanned";
      epc: string;
      sku: string | null;
      gtin?: string;
      zone: string;
      reader: string;
      antennas: number[];
      at: string;
    };

export type MovementEngineListener = (event: MovementEngineEvent) => void;

/** What every role's logic is given. */
export interface RoleContext {
  zones: readonly string[];
  emit(event: MovementEngineEvent): void;
}
