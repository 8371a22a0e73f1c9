/**
 * The year that `comptoir bench valuation` writes (valuation-fixture.ts),
 * planned in typed arrays before any row is written: purchase orders and
 * their lines, each unit's movements in time order, and which supplier
 * invoices have arrived by the end.
 */
export const START = Date.parse("2026-01-01T00:00:00.000Z");
export const DAY = 86_400;
export const YEAR = 365 * DAY;
export const OTHER_LINES = 5;
export const HEAVY_QUANTITY = [5, 9] as const;
export const SHELVES = 12;
export const ORDER_SIZE = 8;
export const SALE_SIZE = 2;
export const SUPPLIERS = 40;
export const CUSTOMERS = 300;

export enum Kind {
  Receive = 0,
  Putaway = 1,
  Pick = 2,
  Ship = 3,
  Sale = 4,
  Adjust = 5,
}
export const KINDS = ["receive", "putaway", "pick", "ship", "sale", "adjust"] as const;

export const skuName = (i: number) => `SKU-${String(i).padStart(3, "0")}`;
export const epcOf = (unit: number) => `3034${unit.toString(16).toUpperCase().padStart(20, "0")}`;
export const gtinOf = (i: number) => `0376000${String(1000000 + i).slice(1)}0`.slice(0, 14);
export const shelfOf = (sku: number) => `A-${String((sku % SHELVES) + 1).padStart(2, "0")}`;
export const shelfChain = (sku: number) => `shelf-${(sku % 4) + 1}`;
export const catalogCost = (sku: number) => 500 + ((sku * 7919) % 9500);
export const iso = (seconds: number) => new Date(START + seconds * 1000).toISOString();

/** mulberry32: the same fixture on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Numbers exits in groups of `size` per lane (a dock, a till), numbered across lanes. */
export function batcher(size: number): (lane: number) => number {
  let numbered = 0;
  const lanes = new Map<number, { number: number; filled: number }>();
  return (lane) => {
    let current = lanes.get(lane);
    if (!current || current.filled === size) {
      current = { number: ++numbered, filled: 0 };
      lanes.set(lane, current);
    }
    current.filled++;
    return current.number;
  };
}

/** The year's plan: POs, their lines and each unit's movements, before any row is written. */
export interface Plan {
  poAt: Float64Array;
  lineSku: Int16Array;
  lineQuantity: Int8Array;
  linePrice: Int32Array;
  /** Per event: unit, kind and time (seconds from START), in time order once sorted. */
  order: Float64Array;
  eventUnit: Int32Array;
  eventKind: Uint8Array;
  eventAt: Float64Array;
  unitLine: Int32Array;
}

export function plan(
  pos: number,
  products: number,
  otherSecond: number,
  rand: () => number,
): Plan & { events: number } {
  const zipf = new Float64Array(products - 1);
  let total = 0;
  for (let i = 0; i < products - 1; i++) zipf[i] = total += 1 / (i + 1);
  const other = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = products - 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((zipf[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const lines = pos * (1 + OTHER_LINES);
  const lineSku = new Int16Array(lines);
  const lineQuantity = new Int8Array(lines);
  const linePrice = new Int32Array(lines);
  const poAt = new Float64Array(pos);
  let units = 0;
  for (let p = 0; p < pos; p++) {
    poAt[p] = Math.floor(((p + rand()) / pos) * YEAR);
    const chosen = new Set<number>([0]);
    for (let l = 0; l <= OTHER_LINES; l++) {
      const line = p * (1 + OTHER_LINES) + l;
      let sku = 0;
      if (l > 0) {
        do sku = other();
        while (chosen.has(sku));
        chosen.add(sku);
      }
      lineSku[line] = sku;
      lineQuantity[line] =
        l === 0
          ? HEAVY_QUANTITY[0] + Math.floor(rand() * (HEAVY_QUANTITY[1] - HEAVY_QUANTITY[0] + 1))
          : 1 + (rand() < otherSecond ? 1 : 0);
      linePrice[line] = Math.round(catalogCost(sku) * (0.9 + 0.2 * rand()));
      units += lineQuantity[line] as number;
    }
  }
  const capacity = units * 4;
  const eventUnit = new Int32Array(capacity);
  const eventKind = new Uint8Array(capacity);
  const eventAt = new Float64Array(capacity);
  const unitLine = new Int32Array(units);
  let events = 0;
  const push = (unit: number, kind: Kind, at: number) => {
    eventUnit[events] = unit;
    eventKind[events] = kind;
    eventAt[events] = at;
    events++;
  };
  let unit = 0;
  for (let line = 0; line < lines; line++) {
    const received = (poAt[Math.floor(line / (1 + OTHER_LINES))] as number) + (line % 6) * 20;
    for (let q = 0; q < (lineQuantity[line] as number); q++, unit++) {
      unitLine[unit] = line;
      const at = received + q * 2;
      push(unit, Kind.Receive, at);
      const putaway = at + 600 + Math.floor(rand() * 6600);
      push(unit, Kind.Putaway, putaway);
      const mean = lineSku[line] === 0 ? 10 : 25;
      const exit = putaway + 5 * 3600 + Math.floor(-Math.log(1 - rand()) * mean * DAY);
      if (exit >= YEAR) continue;
      const fate = rand();
      if (fate < 0.03) push(unit, Kind.Sale, exit);
      else if (fate < 0.032) push(unit, Kind.Adjust, exit);
      else {
        push(unit, Kind.Pick, exit - 1800 - Math.floor(rand() * 12_600));
        push(unit, Kind.Ship, exit);
      }
    }
  }
  // Time order: seconds × 2^22 + event index sorts as numbers, exactly (below 2^53).
  const order = new Float64Array(events);
  for (let e = 0; e < events; e++) order[e] = (eventAt[e] as number) * 4_194_304 + e;
  order.sort();
  return {
    poAt,
    lineSku,
    lineQuantity,
    linePrice,
    order,
    eventUnit,
    eventKind,
    eventAt,
    unitLine,
    events,
  };
}

/** Supplier invoices: which POs are invoiced (by arrival, up to `lines` lines) and when each arrived. */
export function invoicing(
  p: Plan,
  pos: number,
  cut: number,
  options: { heldBack: number; supplierLines: number },
  rand: () => number,
): { arrival: Float64Array; invoiced: Int32Array } | undefined {
  const arrival = new Float64Array(pos);
  const candidates: number[] = [];
  for (let po = 0; po < pos; po++) {
    const late = rand() < 0.1;
    arrival[po] =
      (p.poAt[po] as number) + Math.floor((late ? 30 + rand() * 60 : 2 + rand() * 8) * DAY);
    if (po >= options.heldBack && (arrival[po] as number) <= cut) candidates.push(po);
  }
  candidates.sort((a, b) => (arrival[a] as number) - (arrival[b] as number));
  // invoiced[po]: how many of its lines its invoice has (the last one taken may be cut short).
  const invoiced = new Int32Array(pos);
  let left = options.supplierLines;
  for (const po of candidates) {
    if (left === 0) break;
    invoiced[po] = Math.min(1 + OTHER_LINES, left);
    left -= invoiced[po] as number;
  }
  return left === 0 ? { arrival, invoiced } : undefined;
}
