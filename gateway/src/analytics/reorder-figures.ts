import {
  type Clock,
  type ReorderRowView,
  type ReorderRule,
  systemClock,
} from "@comptoir/contracts";
import { reorderPoint, suggestedQuantity } from "./reorder-point.js";
import type { ReorderRules } from "./reorder-rules.js";
import { type Counts, type ReorderStock, zoneKey } from "./reorder-stock.js";

const DAY_MS = 86_400_000;

/** One rule's figures now: a reorder row without its name and cost. */
export type ReorderFigure = Omit<
  ReorderRowView,
  "name" | "unitCost" | "amount" | "provisionalCost" | "since"
> & {
  /** The alert subject: `sku`, or `sku@zone`. */
  subject: string;
  hysteresis: number;
};

/** The subject of a rule's reorder alerts. */
export function reorderSubject(rule: { sku: string; zone?: string | undefined }): string {
  return rule.zone === undefined ? rule.sku : `${rule.sku}@${rule.zone}`;
}

/**
 * Every rule's figures, read from the store in four queries whatever the
 * number of rules: on site, reserved, and the demand of each window length.
 *
 * A zone's rule counts the units in that zone and reserves nothing: open
 * orders are site-wide and say nothing of the zone they will be picked from,
 * and subtracting them from every zone's rule would count one order against
 * each zone. Its demand is what left the zone (reorder-stock.ts).
 *
 * `demandTtlMs` keeps each window's demand that long: the crossing check
 * runs after every ingest batch, and a 28-day average hardly moves in a
 * minute while counts and reservations are read fresh every time.
 */
export class ReorderFigures {
  private readonly clock: Clock;
  private readonly demandCache = new Map<number, { at: number; counts: Counts }>();

  constructor(
    private readonly stock: ReorderStock,
    private readonly rules: ReorderRules,
    private readonly options: { clock?: Clock; demandTtlMs?: number } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** The rules in force, each with its figures now, in the rules' order. */
  all(): ReorderFigure[] {
    const rules = this.rules.list();
    if (rules.length === 0) return [];
    const onSite = this.stock.onSite();
    const reserved = this.stock.reserved();
    const now = this.clock.now().getTime();
    const windows = new Map<number, Counts>();
    const demand = (windowDays: number) => {
      let counts = windows.get(windowDays);
      if (!counts) {
        counts = this.demand(windowDays, now);
        windows.set(windowDays, counts);
      }
      return counts;
    };
    return rules.map((rule) => this.figure(rule, onSite, reserved, demand));
  }

  private figure(
    rule: ReorderRule,
    onSite: Counts,
    reserved: Map<string, number>,
    demandOver: (windowDays: number) => Counts,
  ): ReorderFigure {
    const zone = rule.zone ?? null;
    const units =
      zone === null
        ? (onSite.site.get(rule.sku) ?? 0)
        : (onSite.zones.get(zoneKey(rule.sku, zone)) ?? 0);
    const held = zone === null ? (reserved.get(rule.sku) ?? 0) : 0;
    const available = units - held;
    const demand =
      rule.min === undefined
        ? zone === null
          ? (demandOver(rule.windowDays).site.get(rule.sku) ?? 0)
          : (demandOver(rule.windowDays).zones.get(zoneKey(rule.sku, zone)) ?? 0)
        : 0;
    const { point, target, inputs } = reorderPoint(rule, demand);
    const suggested = suggestedQuantity(available, point, target, rule.pack);
    return {
      sku: rule.sku,
      zone,
      onSite: units,
      reserved: held,
      available,
      point,
      target,
      pack: rule.pack,
      suggested,
      inputs,
      toReorder: available <= point,
      subject: reorderSubject(rule),
      hysteresis: rule.hysteresis,
    };
  }

  private demand(windowDays: number, now: number): Counts {
    const cached = this.demandCache.get(windowDays);
    const ttl = this.options.demandTtlMs ?? 0;
    if (cached && ttl > 0 && now - cached.at < ttl) return cached.counts;
    // The window is whole UTC days, today's included: 28 days is today and the 27 before.
    const counts = this.stock.demand(
      new Date(now - (windowDays - 1) * DAY_MS).toISOString().slice(0, 10),
      new Date(now).toISOString().slice(0, 10),
    );
    this.demandCache.set(windowDays, { at: now, counts });
    return counts;
  }
}
