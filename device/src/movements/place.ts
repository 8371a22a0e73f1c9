import type { TagTrack } from "./presence.js";

/** Where the site's stock says a tag is (null: not on the site), e.g. from the stock projection. */
export type PlaceLookup = (epc: string) => string | null | undefined;

/**
 * A tag's place as this node knows it: what it last recorded for the tag,
 * else what the stock says (asked once per tracked tag), else nowhere.
 */
export function placeOf(tag: TagTrack, lookup: PlaceLookup | undefined): string | null {
  if (tag.place === undefined) tag.place = lookup?.(tag.epc) ?? null;
  return tag.place;
}
