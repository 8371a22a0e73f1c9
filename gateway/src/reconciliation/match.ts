import type { DiscrepancyKind } from "@comptoir/contracts";
import type { BilledLine, Discrepancy, Evidence, ObservedGroup, ObservedItem } from "./types.js";

const DAY_MS = 86_400_000;

export interface MatchOptions {
  side: "sales" | "purchases";
  now: Date;
  /** Shipped (received) goods with no invoice yet are only a discrepancy after this many days. Default 3. */
  graceDays?: number;
  /** The catalog: a SKU's unit price when no invoice line gives one, and GTIN → SKU. */
  catalogPrice?: (sku: string) => number | undefined;
  skuOfGtin?: (gtin: string) => string | undefined;
}

export interface MatchResult {
  discrepancies: Discrepancy[];
  /** Orders whose invoices have no lines (MINIMUM, BASIC WL): nothing to match their goods against. */
  unmatchable: { order: string | null; invoices: string[] }[];
  /**
   * Goods of a product nothing invoices yet, still within the grace period:
   * an invoice may be on its way. The stock count takes them as booked (see
   * service.ts), so that a count differs from the book only by what a count
   * would find, not by an invoice a few minutes late.
   */
  awaitingInvoice: { sku: string; quantity: number }[];
}

interface Cell {
  order: string | null;
  party: string | null;
  sku: string | null;
  gtin: string | null;
  seen: number;
  firstRead: string | undefined;
  groups: ObservedGroup[];
  invoiced: number;
  price: number | undefined;
  /** The invoice the price comes from: the earliest issued (then lowest number) wins. */
  priceInvoice: { issueDate: string; invoice: string } | undefined;
  invoices: Set<string>;
  firstInvoice: string | undefined;
}

const WORDS = {
  sales: { notInvoiced: "shipped_not_invoiced", notObserved: "invoiced_not_shipped" },
  purchases: { notInvoiced: "received_not_invoiced", notObserved: "invoiced_not_received" },
} as const;

/**
 * Matches goods seen at the portals against invoice lines, per order (or,
 * for goods and invoices without one, per customer or supplier) and per
 * product (the SKU; the GTIN when the catalog does not know it). Quantities
 * of credit notes count negative. More seen than invoiced is
 * `shipped_not_invoiced` for the surplus; fewer is `invoiced_not_shipped`
 * for the missing units (`received_not_invoiced` and
 * `invoiced_not_received` for purchases); each with its amount, its age
 * and the reads seen. Goods of an order item nothing invoices yet are
 * given `graceDays` before they count as a leak. Goods of a GTIN the
 * catalog does not know, invoiced nowhere, are left to the
 * `unknown_product` report (unknown-product.ts): they are not a leak of
 * some product, but a product missing from the catalog.
 */
export function matchGoodsToInvoices(
  observed:
    | readonly ObservedItem[]
    | { groups: readonly ObservedGroup[]; evidenceOf: (group: ObservedGroup) => ObservedItem[] },
  lines: readonly BilledLine[],
  options: MatchOptions,
  lineless: readonly Lineless[] = [],
): MatchResult {
  // Counts decide; the reads themselves are only fetched for the groups that end up in a discrepancy.
  const { groups, evidenceOf } =
    "groups" in observed
      ? observed
      : { groups: groupItems(observed), evidenceOf: (group: ObservedGroup) => group.items ?? [] };
  const itemsOf = (group: ObservedGroup) => group.items ?? evidenceOf(group);
  const grace = options.graceDays ?? 3;
  const nowMs = options.now.getTime();
  const cells = new Map<string, Cell>();
  const itemOf = (sku: string | undefined | null, gtin: string | undefined | null) => {
    const known = sku ?? (gtin ? options.skuOfGtin?.(gtin) : undefined);
    return {
      sku: known ?? null,
      gtin: gtin ?? null,
      key: known ? `s:${known}` : `g:${gtin ?? ""}`,
    };
  };
  const cell = (order: string | null, party: string | null, item: ReturnType<typeof itemOf>) => {
    const group = order !== null ? `o:${order}` : `p:${party ?? ""}`;
    const key = `${group}\u0000${item.key}`;
    let found = cells.get(key);
    if (!found) {
      found = {
        order,
        party,
        sku: item.sku,
        gtin: item.gtin,
        seen: 0,
        firstRead: undefined,
        groups: [],
        invoiced: 0,
        price: undefined,
        priceInvoice: undefined,
        invoices: new Set(),
        firstInvoice: undefined,
      };
      cells.set(key, found);
    }
    if (!found.gtin && item.gtin) found.gtin = item.gtin;
    return found;
  };
  const partyOf = (line: { customer?: string; supplier?: string }) =>
    (options.side === "sales" ? line.customer : line.supplier) ?? null;
  const orderOf = referenceOf(options.side, groups);

  const blocked = new Map<string, string[]>();
  for (const item of lineless) {
    const order = orderOf(item);
    const group = order !== null ? `o:${order}` : `p:${item.party ?? ""}`;
    blocked.set(group, [...(blocked.get(group) ?? []), item.invoice]);
  }

  const unknown = new Map<string, ObservedGroup[]>();
  for (const group of groups) {
    if (group.sku === null && !group.gtin) {
      const key = group.order ?? `customer:${group.customer ?? ""}`;
      unknown.set(key, [...(unknown.get(key) ?? []), group]);
      continue;
    }
    const target = cell(
      group.order ?? null,
      options.side === "sales" ? (group.customer ?? null) : null,
      itemOf(group.sku, group.gtin),
    );
    target.seen += group.count;
    target.groups.push(group);
    if (!target.firstRead || group.firstAt < target.firstRead) target.firstRead = group.firstAt;
  }
  for (const line of lines) {
    const target = cell(orderOf(line), partyOf(line), itemOf(line.sku, line.gtin));
    target.invoiced += line.type === "credit-note" ? -Math.abs(line.quantity) : line.quantity;
    target.invoices.add(line.invoice);
    if (line.type === "invoice" && earlierInvoice(line, target.priceInvoice)) {
      target.price = line.unitPrice;
      target.priceInvoice = { issueDate: line.issueDate, invoice: line.invoice };
    }
    if (!target.firstInvoice || line.issueDate < target.firstInvoice)
      target.firstInvoice = line.issueDate;
  }

  const words = WORDS[options.side];
  const discrepancies: Discrepancy[] = [];
  const awaitingInvoice: MatchResult["awaitingInvoice"] = [];
  for (const entry of cells.values()) {
    if (blocked.has(entry.order !== null ? `o:${entry.order}` : `p:${entry.party ?? ""}`)) continue;
    const seen = entry.seen;
    const invoiced = round(entry.invoiced);
    if (seen === invoiced) continue;
    if (entry.sku === null && entry.invoices.size === 0) continue; // an unknown product
    const firstRead = entry.firstRead;
    let kind: DiscrepancyKind;
    let since: string;
    if (seen > invoiced) {
      kind = words.notInvoiced;
      since = firstRead ?? "";
      // Nothing invoices this item of the order yet: the invoice may be on its way.
      if (entry.invoices.size === 0 && nowMs - Date.parse(since) < grace * DAY_MS) {
        if (entry.sku !== null) awaitingInvoice.push({ sku: entry.sku, quantity: seen - invoiced });
        continue;
      }
    } else {
      kind = words.notObserved;
      since = `${entry.firstInvoice}T00:00:00.000Z`;
    }
    const catalog = entry.sku ? options.catalogPrice?.(entry.sku) : undefined;
    const price = entry.price ?? catalog;
    const difference = round(seen - invoiced);
    discrepancies.push({
      id: discrepancyId(
        kind,
        entry.order ?? `~${entry.party ?? ""}`,
        entry.sku ?? entry.gtin ?? "",
        difference,
      ),
      kind,
      side: options.side,
      order: entry.order,
      customer:
        options.side === "sales" ? (entry.party ?? entry.groups[0]?.customer ?? null) : null,
      supplier: options.side === "purchases" ? entry.party : null,
      sku: entry.sku,
      gtin: entry.gtin,
      zone: null,
      observed: seen,
      invoiced,
      difference,
      amount: price === undefined ? null : Math.round(Math.abs(difference) * price),
      unitPrice: price ?? null,
      priceFrom: entry.price !== undefined ? "invoice" : catalog !== undefined ? "catalog" : null,
      invoices: [...entry.invoices].sort(),
      ageDays: ageDays(since, nowMs),
      since,
      evidence: entry.groups.flatMap((group) => itemsOf(group).map(evidence)),
    });
  }
  for (const [group, unknownGroups] of unknown) {
    const items = unknownGroups.flatMap(itemsOf);
    const since = items.reduce((min, item) => (item.at < min ? item.at : min), items[0]?.at ?? "");
    const order = group.startsWith("customer:") ? null : group;
    discrepancies.push({
      id: discrepancyId(
        "unknown_tag",
        group,
        items
          .map((item) => item.epc)
          .sort()
          .join(","),
        items.length,
      ),
      kind: "unknown_tag",
      side: options.side,
      order,
      customer: items[0]?.customer ?? null,
      supplier: null,
      sku: null,
      gtin: null,
      zone: null,
      observed: items.length,
      invoiced: 0,
      difference: items.length,
      amount: null,
      unitPrice: null,
      priceFrom: null,
      invoices: [],
      ageDays: ageDays(since, nowMs),
      since,
      evidence: items.map(evidence),
    });
  }
  discrepancies.sort((a, b) => a.since.localeCompare(b.since) || a.id.localeCompare(b.id));
  return {
    discrepancies,
    awaitingInvoice,
    unmatchable: [...blocked].map(([group, invoices]) => ({
      order: group.startsWith("o:") ? group.slice(2) : null,
      invoices,
    })),
  };
}

/** An invoice without lines: its goods cannot be matched, only listed as unmatchable. */
export interface Lineless {
  invoice: string;
  orderRef?: string;
  despatchRef?: string;
  party?: string;
}

/**
 * Which order an invoice belongs to for matching. Sales: its order
 * reference (BT-13). Purchases: a receipt names the purchase order or the
 * supplier's despatch advice (BT-16), so an invoice goes with its despatch
 * reference when the receipts name that and not its order (the three-way
 * match: order, receipt, invoice); otherwise with its order reference.
 */
function referenceOf(
  side: MatchOptions["side"],
  groups: readonly ObservedGroup[],
): (invoice: { orderRef?: string; despatchRef?: string }) => string | null {
  if (side === "sales") return (invoice) => invoice.orderRef ?? null;
  const received = new Set(groups.map((group) => group.order));
  return ({ orderRef, despatchRef }) => {
    if (despatchRef && received.has(despatchRef) && !(orderRef && received.has(orderRef))) {
      return despatchRef;
    }
    return orderRef ?? null;
  };
}

/** Items read, gathered per order, customer and item (the shape a SQL GROUP BY gives). */
export function groupItems(items: readonly ObservedItem[]): ObservedGroup[] {
  const groups = new Map<string, ObservedGroup & { items: ObservedItem[] }>();
  for (const item of items) {
    const key = [item.order ?? "", item.customer ?? "", item.sku ?? "", item.gtin ?? ""].join(
      "\u0000",
    );
    let group = groups.get(key);
    if (!group) {
      group = {
        ...(item.order ? { order: item.order } : {}),
        ...(item.customer ? { customer: item.customer } : {}),
        sku: item.sku,
        ...(item.gtin ? { gtin: item.gtin } : {}),
        count: 0,
        firstAt: item.at,
        items: [],
      };
      groups.set(key, group);
    }
    group.count += 1;
    group.items.push(item);
    if (item.at < group.firstAt) group.firstAt = item.at;
  }
  return [...groups.values()];
}

function evidence(item: ObservedItem): Evidence {
  return {
    epc: item.epc,
    node: item.node,
    reader: item.reader,
    antennas: item.antennas,
    at: item.at,
  };
}

/**
 * Whether `line` belongs to an invoice issued before `than` (then by number):
 * lines may come in any order, and the price is the earliest invoice's. Lines
 * of the same invoice keep the first one met.
 */
function earlierInvoice(
  line: BilledLine,
  than: { issueDate: string; invoice: string } | undefined,
): boolean {
  if (!than) return true;
  if (line.issueDate !== than.issueDate) return line.issueDate < than.issueDate;
  return line.invoice < than.invoice;
}

/** Quantities may be fractional (kg): keep 6 decimals, drop float noise. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function ageDays(since: string, nowMs: number): number {
  const at = Date.parse(since);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((nowMs - at) / DAY_MS));
}

export function discrepancyId(
  kind: string,
  group: string,
  item: string,
  difference: number,
): string {
  return `${kind}:${group}:${item}:${difference}`;
}
