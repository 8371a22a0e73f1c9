/**
 * The words a warehouse uses: counts with their noun ("1 item", "5 stock
 * gaps"), movement kinds as verbs, and where goods went ("dock → bay-1",
 * "sold at the counter") rather than the ledger's nulls.
 */

/** "1 item", "15 items", "0 items"; the plural given when it is not the noun with an s. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return count === 1 || count === -1 ? one : many;
}
/** The count and its noun: counted(15, "item") → "15 items". `format` writes the number (the page's num()). */
export function counted(
  count: number,
  one: string,
  many?: string,
  format: (n: number) => string = String,
): string {
  return `${format(count)} ${plural(count, one, many)}`;
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  receive: "received",
  putaway: "put away",
  pick: "picked",
  ship: "shipped",
  sale: "sold",
  adjust: "adjusted",
};
/** A movement kind as a warehouse says it: "put away", "sold". */
export const kindWord = (kind: string): string => KIND_WORDS[kind] ?? kind;

/** What a movement (or an event of several) did, where the ledger says from and to, with null for off the site. */
export interface Route {
  kind: string;
  from: string | null;
  to: string | null;
  /** Where the items were before, when the node did not say (a shelf sees items arrive, not where from). */
  cameFrom?: string | null;
}

/**
 * Where the goods went, in words: "dock → bay-1", "put away to bay-1",
 * "received at dock", "shipped from dock", "sold at the counter". Never
 * "off site → off site".
 */
export function routeWords(route: Route): string {
  const from = route.from ?? route.cameFrom ?? null;
  const { to } = route;
  switch (route.kind) {
    case "receive":
      return to ? `received at ${to}` : "received";
    case "putaway":
      return from && to ? `${from} → ${to}` : to ? `put away to ${to}` : "put away";
    case "pick":
      return from && to ? `${from} → ${to}` : from ? `picked from ${from}` : "picked";
    case "ship":
      return from ? `shipped from ${from}` : "shipped";
    case "sale":
      // Where the item waited before (often the counter's "picked" zone) says nothing to the reader.
      return "sold at the counter";
    case "adjust":
      if (from && to) return `${from} → ${to} (count)`;
      if (to) return `counted in ${to}`;
      if (from) return `written off from ${from}`;
      return "adjusted";
  }
  if (from && to) return `${from} → ${to}`;
  if (to) return `into ${to}`;
  if (from) return `out of ${from}`;
  return "off the site";
}
