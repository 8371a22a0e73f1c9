import type { CostMethod } from "@comptoir/contracts";
import {
  type BookOptions,
  type Layer,
  type LayerCost,
  type LayerKey,
  type Range,
  type SkuCogs,
  type SkuValue,
  type UnitExit,
  type UnitMovement,
  type UnitOnSite,
  unreceivedKey,
  type ValuationBook,
} from "./book.js";
import { isoMs } from "./instant.js";
import { LayerKeys, NO_KEY } from "./keys.js";
import { SkuLedger, upperBound } from "./sku-ledger.js";
import { dayStartMs, skuCogs, skuQuantityByDay, skuValue, skuValueByDay } from "./sku-reports.js";

const DAY_MS = 86_400_000;
const NONE = -1;

/** The first day's midnight and the number of days from `from` to `to` (dates YYYY-MM-DD, inclusive). */
function dayRange(from: string, to: string): [number, number] {
  const fromMs = dayStartMs(from);
  const toMs = dayStartMs(to);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
    throw new Error(`valuation: days are dates YYYY-MM-DD, not "${from}" and "${to}"`);
  }
  return [fromMs, Math.max(0, Math.round((toMs - fromMs) / DAY_MS) + 1)];
}

/**
 * The valuation engine (issue 16): FIFO layers, each unit's own layer, and
 * the weighted average, per product, from one-unit movements. Products are
 * independent ledgers (sku-ledger.ts); costs live per layer key (keys.ts),
 * so an invoice that revalues a layer is one write, read by every report.
 */
export function createBook(options: BookOptions): ValuationBook {
  return new Book(options);
}

class Book implements ValuationBook {
  private readonly keys: LayerKeys;
  private readonly ledgers = new Map<string, SkuLedger>();

  constructor(private readonly options: BookOptions) {
    this.keys = new LayerKeys(options.catalogCost);
  }

  apply(movement: UnitMovement): void {
    // No product, no cost: the service counts such items apart (unvalued).
    if (movement.sku === null) return;
    let ledger = this.ledgers.get(movement.sku);
    if (!ledger) {
      ledger = new SkuLedger(movement.sku, this.keys);
      this.ledgers.set(movement.sku, ledger);
    }
    ledger.apply(movement, isoMs(movement.at));
  }

  setCost(key: LayerKey, cost: LayerCost): void {
    const id = this.keys.id(key);
    this.keys.set(id, cost);
    this.ledgers.get(this.keys.sku[id] as string)?.touched();
  }

  recostProvisional(skus: ReadonlySet<string>): void {
    const { keys } = this;
    for (let id = 0; id < keys.key.length; id++) {
      const sku = keys.sku[id] as string;
      if (!keys.provisional[id] || !skus.has(sku)) continue;
      keys.set(id, this.catalog(sku));
      this.ledgers.get(sku)?.touched();
    }
  }

  cost(key: LayerKey): LayerCost {
    const id = this.keys.find(key);
    if (id !== undefined) return this.keys.cost(id);
    const cut = key.indexOf("\u0000");
    return this.catalog(cut < 0 ? key : key.slice(0, cut));
  }

  private catalog(sku: string): LayerCost {
    return { unitCost: this.options.catalogCost(sku), provisional: true, invoice: null };
  }

  private selected(sku: string | undefined): SkuLedger[] {
    if (sku === undefined) return [...this.ledgers.values()];
    const one = this.ledgers.get(sku);
    return one ? [one] : [];
  }

  layers(sku?: string): Layer[] {
    const out: Layer[] = [];
    for (const ledger of this.selected(sku)) {
      for (let l = 0; l < ledger.layerKey.length; l++) {
        const key = ledger.layerKey[l] as number;
        out.push({
          sku: ledger.sku,
          key: this.keys.key[key] as string,
          order: this.keys.order[key] as string | null,
          receivedAt: ledger.layerAt[l] as string,
          quantity: ledger.layerQty[l] as number,
          remaining: ledger.layerRemaining[l] as number,
        });
      }
    }
    if (sku === undefined) out.sort((a, b) => isoMs(a.receivedAt) - isoMs(b.receivedAt));
    return out;
  }

  exits(range: Range = {}): UnitExit[] {
    const fromMs = range.from === undefined ? -Infinity : isoMs(range.from);
    const toMs = range.to === undefined ? Infinity : isoMs(range.to);
    const found: { at: number; exit: UnitExit }[] = [];
    for (const ledger of this.selected(range.sku)) {
      const end = upperBound(ledger.exitAtMs, toMs);
      for (let x = upperBound(ledger.exitAtMs, fromMs - 1); x < end; x++) {
        const ev = ledger.exitEv[x] as number;
        if (range.order !== undefined && ledger.order[ev] !== range.order) continue;
        found.push({ at: ledger.exitAtMs[x] as number, exit: this.exit(ledger, x) });
      }
    }
    if (range.sku === undefined) found.sort((a, b) => a.at - b.at);
    return found.map((f) => f.exit);
  }

  private exit(ledger: SkuLedger, x: number): UnitExit {
    const ev = ledger.exitEv[x] as number;
    const slot = ledger.exitSlot[x] as number;
    const older = ledger.exitOlder[x] as number;
    return {
      epc: ledger.epc[ev] as string,
      sku: ledger.sku,
      at: ledger.at[ev] as string,
      kind: ledger.exitKind[x] as UnitExit["kind"],
      order: ledger.order[ev] as string | null,
      zone: ledger.exitZone[x] as string | null,
      fifoKey: this.keys.key[ledger.evKey[ev] as number] as string,
      actualKey: slot === NONE ? null : (this.keys.key[ledger.evActual[ev] as number] as string),
      receivedAt: slot === NONE ? null : (ledger.slotAt[slot] as string),
      olderOnSite:
        older === NONE
          ? null
          : { epc: ledger.slotEpc[older] as string, receivedAt: ledger.slotAt[older] as string },
    };
  }

  exitCost(exit: UnitExit, method: CostMethod): number {
    const fifo = this.cost(exit.fifoKey).unitCost;
    if (method === "fifo") return fifo;
    const ledger = this.ledgers.get(exit.sku);
    if (!ledger) return fifo;
    ledger.average();
    const ms = isoMs(exit.at);
    for (let x = upperBound(ledger.exitAtMs, ms - 1); ledger.exitAtMs[x] === ms; x++) {
      if (ledger.epc[ledger.exitEv[x] as number] === exit.epc)
        return ledger.exitAverage[x] as number;
    }
    return fifo;
  }

  onSite(sku?: string): UnitOnSite[] {
    const out: UnitOnSite[] = [];
    for (const ledger of this.selected(sku)) {
      for (const slot of ledger.onSiteSlots()) {
        out.push({
          epc: ledger.slotEpc[slot] as string,
          sku: ledger.sku,
          zone: ledger.slotZone[slot] as string | null,
          receivedAt: ledger.slotAt[slot] as string,
          key: this.keys.key[ledger.slotKey[slot] as number] as string,
        });
      }
    }
    return out;
  }

  value(asOf: string | undefined, method: CostMethod, sku?: string): Map<string, SkuValue> {
    const asOfMs = asOf === undefined ? Infinity : isoMs(asOf);
    const out = new Map<string, SkuValue>();
    for (const ledger of this.selected(sku)) {
      out.set(ledger.sku, skuValue(ledger, this.keys, asOfMs, method));
    }
    return out;
  }

  cogs(range: Range, method: CostMethod): Map<string, SkuCogs> {
    const fromMs = range.from === undefined ? -Infinity : isoMs(range.from);
    const toMs = range.to === undefined ? Infinity : isoMs(range.to);
    const out = new Map<string, SkuCogs>();
    for (const ledger of this.selected(range.sku)) {
      out.set(ledger.sku, skuCogs(ledger, this.keys, fromMs, toMs, range.order, method));
    }
    return out;
  }

  valueByDay(from: string, to: string, method: CostMethod): Map<string, number[]> {
    const [fromMs, days] = dayRange(from, to);
    const out = new Map<string, number[]>();
    for (const ledger of this.ledgers.values()) {
      out.set(ledger.sku, skuValueByDay(ledger, this.keys, fromMs, days, method));
    }
    return out;
  }

  quantityByDay(from: string, to: string): Map<string, number[]> {
    const [fromMs, days] = dayRange(from, to);
    const out = new Map<string, number[]>();
    for (const ledger of this.ledgers.values()) {
      out.set(ledger.sku, skuQuantityByDay(ledger, fromMs, days));
    }
    return out;
  }

  nextUnitCost(sku: string): LayerCost {
    const head = this.ledgers.get(sku)?.head() ?? NO_KEY;
    return head === NO_KEY ? this.cost(unreceivedKey(sku)) : this.keys.cost(head);
  }

  skus(): string[] {
    return [...this.ledgers.keys()];
  }
}
