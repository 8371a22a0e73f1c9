import type { CostMethod } from "@comptoir/contracts";
import {
  type LayerCost,
  type LayerKey,
  layerKey,
  type UnitMovement,
  unreceivedKey,
} from "./book.js";

/**
 * Test support: the naive reference the engine is checked against. It
 * keeps every movement and every cost, and answers each question by
 * replaying everything from the start, unit by unit, with plain arrays:
 * slow on purpose, simple enough to read as the definition.
 */

interface NaiveLayer {
  key: LayerKey;
  order: string | null;
  receivedAt: string;
  quantity: number;
  remaining: number;
}

interface NaiveUnit {
  epc: string;
  key: LayerKey;
  receivedAt: string;
  receivedMs: number;
  zone: string;
}

export interface NaiveExit {
  epc: string;
  at: string;
  atMs: number;
  kind: "ship" | "sale" | "adjust";
  order: string | null;
  fifoKey: LayerKey;
  actualKey: LayerKey | null;
  averageCost: number;
  olderOnSite: { epc: string; receivedAt: string } | null;
}

export interface NaiveState {
  layers: NaiveLayer[];
  onSite: NaiveUnit[];
  exits: NaiveExit[];
  pool: { quantity: number; value: number };
}

/** The UTC day of a time: units received on different days came with different deliveries. */
const day = (ms: number) => Math.floor(ms / 86_400_000);

export class NaiveBook {
  private readonly movements: UnitMovement[] = [];
  private readonly costs = new Map<LayerKey, LayerCost>();

  constructor(private readonly catalogCost: (sku: string) => number) {}

  apply(movement: UnitMovement): void {
    this.movements.push(movement);
  }

  setCost(key: LayerKey, cost: LayerCost): void {
    this.costs.set(key, cost);
  }

  cost(key: LayerKey): LayerCost {
    return (
      this.costs.get(key) ?? {
        unitCost: this.catalogCost(key.split("\u0000")[0] as string),
        provisional: true,
        invoice: null,
      }
    );
  }

  /** One product replayed from the start up to `asOfMs` (inclusive). */
  replay(sku: string, asOfMs = Infinity): NaiveState {
    const movements = this.movements
      .map((movement, arrival) => ({ movement, arrival, ms: Date.parse(movement.at) }))
      .filter(({ movement, ms }) => movement.sku === sku && ms <= asOfMs)
      .sort((a, b) => a.ms - b.ms || a.arrival - b.arrival);
    const state: NaiveState = {
      layers: [],
      onSite: [],
      exits: [],
      pool: { quantity: 0, value: 0 },
    };
    // The shipment under way: this product's exits in a row under one order. Each one's older
    // unit is decided when the shipment ends, from the units it left on site.
    let shipment: { order: string | null; exits: { exit: NaiveExit; unit: NaiveUnit }[] } = {
      order: null,
      exits: [],
    };
    const endShipment = () => {
      const oldest = state.onSite[0];
      for (const { exit, unit } of shipment.exits) {
        const earlierDelivery =
          oldest !== undefined &&
          oldest.receivedMs < unit.receivedMs &&
          (oldest.key !== unit.key || day(oldest.receivedMs) < day(unit.receivedMs));
        exit.olderOnSite =
          oldest && earlierDelivery ? { epc: oldest.epc, receivedAt: oldest.receivedAt } : null;
      }
    };
    for (const { movement: m, ms } of movements) {
      const here = state.onSite.findIndex((unit) => unit.epc === m.epc);
      if (m.to !== null) {
        if (here >= 0) {
          (state.onSite[here] as NaiveUnit).zone = m.to;
          continue;
        }
        const key = layerKey(sku, m.kind === "receive" ? m.order : null);
        let layer = state.layers.find((l) => l.key === key);
        if (!layer) {
          layer = {
            key,
            order: m.kind === "receive" ? m.order : null,
            receivedAt: m.at,
            quantity: 0,
            remaining: 0,
          };
          state.layers.push(layer);
        }
        layer.quantity++;
        layer.remaining++;
        state.onSite.push({ epc: m.epc, key, receivedAt: m.at, receivedMs: ms, zone: m.to });
        state.pool.quantity++;
        state.pool.value += this.cost(key).unitCost;
        continue;
      }
      const kind = m.kind === "sale" ? "sale" : m.kind === "adjust" ? "adjust" : "ship";
      if (m.order === null || m.order !== shipment.order) {
        endShipment();
        shipment = { order: m.order, exits: [] };
      }
      if (here < 0) {
        const key = unreceivedKey(sku);
        state.exits.push({
          epc: m.epc,
          at: m.at,
          atMs: ms,
          kind,
          order: m.order,
          fifoKey: key,
          actualKey: null,
          averageCost: this.cost(key).unitCost,
          olderOnSite: null,
        });
        continue;
      }
      const unit = state.onSite[here] as NaiveUnit;
      state.onSite.splice(here, 1);
      const layer = state.layers.find((l) => l.remaining > 0) as NaiveLayer;
      layer.remaining--;
      const average =
        state.pool.quantity === 1
          ? state.pool.value
          : Math.round(state.pool.value / state.pool.quantity);
      state.pool.quantity--;
      state.pool.value -= average;
      const exit: NaiveExit = {
        epc: m.epc,
        at: m.at,
        atMs: ms,
        kind,
        order: m.order,
        fifoKey: layer.key,
        actualKey: unit.key,
        averageCost: average,
        olderOnSite: null,
      };
      state.exits.push(exit);
      shipment.exits.push({ exit, unit });
    }
    endShipment();
    return state;
  }

  skus(): string[] {
    return [...new Set(this.movements.flatMap((m) => (m.sku === null ? [] : [m.sku])))].sort();
  }

  value(
    sku: string,
    asOfMs: number,
    method: CostMethod,
  ): { quantity: number; value: number; actualValue: number } {
    const state = this.replay(sku, asOfMs);
    const fifo = state.layers.reduce((sum, l) => sum + l.remaining * this.cost(l.key).unitCost, 0);
    const actualValue = state.onSite.reduce((sum, u) => sum + this.cost(u.key).unitCost, 0);
    return {
      quantity: state.onSite.length,
      value: method === "fifo" ? fifo : state.pool.value,
      actualValue,
    };
  }

  cogs(
    sku: string,
    fromMs: number,
    toMs: number,
    method: CostMethod,
  ): { quantity: number; cogs: number; actualCost: number; fifoCost: number } {
    const exits = this.replay(sku).exits.filter((e) => e.atMs >= fromMs && e.atMs <= toMs);
    const fifoCost = exits.reduce((sum, e) => sum + this.cost(e.fifoKey).unitCost, 0);
    return {
      quantity: exits.length,
      cogs: method === "fifo" ? fifoCost : exits.reduce((sum, e) => sum + e.averageCost, 0),
      actualCost: exits.reduce((sum, e) => sum + this.cost(e.actualKey ?? e.fifoKey).unitCost, 0),
      fifoCost,
    };
  }

  nextUnitCost(sku: string): LayerCost {
    const head = this.replay(sku).layers.find((l) => l.remaining > 0);
    return this.cost(head ? head.key : unreceivedKey(sku));
  }
}
