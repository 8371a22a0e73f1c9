import type { CostMethod } from "@comptoir/contracts";
import { type SkuCogs, type SkuValue, unreceivedKey } from "./book.js";
import type { LayerKeys } from "./keys.js";
import { EXIT, RECEIPT, type SkuLedger, upperBound } from "./sku-ledger.js";

/**
 * One product's figures read from its ledger, by the costs as they are now
 * (an invoice that landed since revalues the past too). Loops over flat
 * arrays with keys as indexes: no object per unit.
 */

const DAY_MS = 86_400_000;

/** The product's stock value after every event up to `asOfMs` (inclusive). */
export function skuValue(
  ledger: SkuLedger,
  keys: LayerKeys,
  asOfMs: number,
  method: CostMethod,
): SkuValue {
  const end = upperBound(ledger.atMs, asOfMs);
  const { quantity, fifo, actual, provisionalQuantity, provisionalValue, zones } =
    end === ledger.atMs.length ? figuresNow(ledger, keys) : figuresAt(ledger, keys, end);
  if (method === "fifo") {
    return {
      quantity,
      value: fifo,
      provisionalQuantity,
      provisionalValue,
      actualValue: actual,
      zones,
    };
  }
  ledger.average();
  const value = end === 0 ? 0 : (ledger.evPoolValue[end - 1] as number);
  return {
    quantity,
    value,
    provisionalQuantity,
    // The average mixes invoiced and provisional costs: the provisional units' share of it.
    provisionalValue: quantity === 0 ? 0 : Math.round((value * provisionalQuantity) / quantity),
    actualValue: actual,
    zones,
  };
}

interface Figures {
  quantity: number;
  fifo: number;
  actual: number;
  provisionalQuantity: number;
  provisionalValue: number;
  zones: Map<string | null, number>;
}

/**
 * After the product's last movement: read from the ledger's current state
 * (the layers' units left, the units on site), not by replaying every
 * movement, so that the value now costs the layers and units on site only.
 */
function figuresNow(ledger: SkuLedger, keys: LayerKeys): Figures {
  const cost = keys.unitCost;
  const provisional = keys.provisional;
  let quantity = 0;
  let fifo = 0;
  let provisionalQuantity = 0;
  let provisionalValue = 0;
  const { layerKey, layerRemaining } = ledger;
  for (let l = 0; l < layerKey.length; l++) {
    const left = layerRemaining[l] as number;
    if (left === 0) continue;
    const key = layerKey[l] as number;
    const c = cost[key] as number;
    quantity += left;
    fifo += left * c;
    if (provisional[key]) {
      provisionalQuantity += left;
      provisionalValue += left * c;
    }
  }
  let actual = 0;
  for (const slot of ledger.onSiteSlots()) actual += cost[ledger.slotKey[slot] as number] as number;
  return {
    quantity,
    fifo,
    actual,
    provisionalQuantity,
    provisionalValue,
    zones: new Map(ledger.zones),
  };
}

/** Before movement `end` (exclusive): the movements replayed from the first. */
function figuresAt(ledger: SkuLedger, keys: LayerKeys, end: number): Figures {
  const cost = keys.unitCost;
  const provisional = keys.provisional;
  let quantity = 0;
  let fifo = 0;
  let actual = 0;
  let provisionalQuantity = 0;
  let provisionalValue = 0;
  const zones = new Map<string | null, number>();
  const { evType, evKey, evActual, evZoneFrom, evZoneTo } = ledger;
  for (let i = 0; i < end; i++) {
    const type = evType[i] as number;
    if (type === RECEIPT) {
      const key = evKey[i] as number;
      const c = cost[key] as number;
      quantity++;
      fifo += c;
      actual += c;
      if (provisional[key]) {
        provisionalQuantity++;
        provisionalValue += c;
      }
    } else if (type === EXIT) {
      const key = evKey[i] as number;
      const c = cost[key] as number;
      quantity--;
      fifo -= c;
      actual -= cost[evActual[i] as number] as number;
      if (provisional[key]) {
        provisionalQuantity--;
        provisionalValue -= c;
      }
    }
    const from = evZoneFrom[i] as string | null;
    const to = evZoneTo[i] as string | null;
    if (from !== null) {
      const left = (zones.get(from) as number) - 1;
      if (left === 0) zones.delete(from);
      else zones.set(from, left);
    }
    if (to !== null) zones.set(to, (zones.get(to) ?? 0) + 1);
  }
  return { quantity, fifo, actual, provisionalQuantity, provisionalValue, zones };
}

/** The product's cost of goods gone out in `range` (from/to as epoch ms, inclusive). */
export function skuCogs(
  ledger: SkuLedger,
  keys: LayerKeys,
  fromMs: number,
  toMs: number,
  order: string | undefined,
  method: CostMethod,
): SkuCogs {
  if (method === "average") ledger.average();
  const whole = fromMs === -Infinity && toMs === Infinity && order === undefined;
  if (whole) return wholeCogs(ledger, keys, method);
  const cost = keys.unitCost;
  const provisional = keys.provisional;
  // Times are whole milliseconds: the first exit after fromMs − 1 is the first at or after fromMs.
  const first = upperBound(ledger.exitAtMs, fromMs - 1);
  const end = upperBound(ledger.exitAtMs, toMs);
  const out: SkuCogs = {
    quantity: 0,
    byKind: { ship: 0, sale: 0, adjust: 0 },
    cogs: 0,
    actualCost: 0,
    fifoCost: 0,
    provisional: 0,
  };
  for (let x = first; x < end; x++) {
    const ev = ledger.exitEv[x] as number;
    if (order !== undefined && ledger.order[ev] !== order) continue;
    const key = ledger.evKey[ev] as number;
    const fifo = cost[key] as number;
    out.quantity++;
    out.byKind[ledger.exitKind[x] as keyof SkuCogs["byKind"]]++;
    out.fifoCost += fifo;
    out.actualCost += cost[ledger.evActual[ev] as number] as number;
    out.cogs += method === "fifo" ? fifo : (ledger.exitAverage[x] as number);
    if (provisional[key]) out.provisional++;
  }
  return out;
}

/**
 * All time: sums over the product's keys (units drawn × cost), so a
 * revalued layer shows at once, however many exits drew on it. The average
 * is receipts − what is left in the pool (+ units never seen arriving).
 */
function wholeCogs(ledger: SkuLedger, keys: LayerKeys, method: CostMethod): SkuCogs {
  let fifoCost = 0;
  let actualCost = 0;
  let received = 0;
  let lost = 0;
  let provisional = 0;
  for (const key of ledger.keyIds) {
    const c = keys.unitCost[key] as number;
    const drawn = keys.drawn[key] as number;
    fifoCost += drawn * c;
    actualCost += (keys.drawnActual[key] as number) * c;
    received += (keys.received[key] as number) * c;
    if (keys.provisional[key]) provisional += drawn;
  }
  const unreceived = keys.find(unreceivedKey(ledger.sku));
  if (unreceived !== undefined) {
    lost = (keys.drawn[unreceived] as number) * (keys.unitCost[unreceived] as number);
  }
  const last = ledger.size - 1;
  const pool = method === "average" && last >= 0 ? (ledger.evPoolValue[last] as number) : 0;
  return {
    quantity: ledger.exitEv.length,
    byKind: { ...ledger.byKind },
    cogs: method === "fifo" ? fifoCost : received - pool + lost,
    actualCost,
    fifoCost,
    provisional,
  };
}

/** Epoch ms of a date's UTC midnight (YYYY-MM-DD). */
export function dayStartMs(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

/** The product's units on site at the end of each day from `fromMs` (a UTC midnight), `days` days: one pass. */
export function skuQuantityByDay(ledger: SkuLedger, fromMs: number, days: number): number[] {
  const out = new Array<number>(days).fill(0);
  const { evType, atMs } = ledger;
  let quantity = 0;
  let day = 0;
  let boundary = fromMs + DAY_MS;
  for (let i = 0; i < evType.length && day < days; i++) {
    while ((atMs[i] as number) >= boundary && day < days) {
      out[day++] = quantity;
      boundary += DAY_MS;
    }
    const type = evType[i] as number;
    if (type === RECEIPT) quantity++;
    else if (type === EXIT) quantity--;
  }
  while (day < days) out[day++] = quantity;
  return out;
}

/** The product's stock value at the end of each day from `fromMs` (a UTC midnight), `days` days: one pass. */
export function skuValueByDay(
  ledger: SkuLedger,
  keys: LayerKeys,
  fromMs: number,
  days: number,
  method: CostMethod,
): number[] {
  if (method === "average") ledger.average();
  const out = new Array<number>(days).fill(0);
  const cost = keys.unitCost;
  const { evType, evKey, atMs, evPoolValue } = ledger;
  let value = 0;
  let day = 0;
  let boundary = fromMs + DAY_MS;
  for (let i = 0; i < evType.length && day < days; i++) {
    const at = atMs[i] as number;
    while (at >= boundary && day < days) {
      out[day++] = value;
      boundary += DAY_MS;
    }
    if (day >= days) break;
    if (method === "average") value = evPoolValue[i] as number;
    else {
      const type = evType[i] as number;
      if (type === RECEIPT) value += cost[evKey[i] as number] as number;
      else if (type === EXIT) value -= cost[evKey[i] as number] as number;
    }
  }
  while (day < days) out[day++] = value;
  return out;
}
