import type { PassVisit } from "./presence.js";

export type Direction = "inbound" | "outbound";

/**
 * The direction of a pass through a portal from its zone visits (reference
 * 6.4): `rank` orders the zones from outside (0) to inside. The visit
 * confirmed first is where the tag came from, the one confirmed last where
 * it went. When both were confirmed at once (within `simultaneousMs`), the
 * antenna whose RSSI peaked first is where it came from; without RSSI, the
 * zone that saw it last is where it went. A pass that ends where it began,
 * or that nothing tells apart, has no direction.
 */
export function passDirection(
  visits: readonly PassVisit[],
  rank: (zone: number) => number,
  simultaneousMs: number,
): Direction | undefined {
  let first: PassVisit | undefined;
  let last: PassVisit | undefined;
  for (const visit of visits) {
    if (rank(visit.zone) < 0) continue;
    if (first === undefined || visit.observedAt < first.observedAt) first = visit;
    if (last === undefined || visit.observedAt >= last.observedAt) last = visit;
  }
  if (first === undefined || last === undefined || rank(first.zone) === rank(last.zone))
    return undefined;
  const way = (from: PassVisit, to: PassVisit): Direction =>
    rank(to.zone) > rank(from.zone) ? "inbound" : "outbound";
  if (last.observedAt - first.observedAt > simultaneousMs) return way(first, last);
  const peaks = Number.isFinite(first.peakRssi) && Number.isFinite(last.peakRssi);
  if (peaks && first.peakAt !== last.peakAt)
    return first.peakAt < last.peakAt ? way(first, last) : way(last, first);
  if (first.lastSeen !== last.lastSeen)
    return first.lastSeen < last.lastSeen ? way(first, last) : way(last, first);
  return undefined;
}
