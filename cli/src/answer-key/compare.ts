import { ApiCallError, type JsonApi } from "@comptoir/simulators";
import { compareValuation } from "./compare-valuation.js";
import { type AnswerKey, compareRows, type KeyDiscrepancy, type KeyStockRow } from "./key.js";

/** What the gateway's API said, figure by figure, against the answer key. */
export interface KeyReport {
  /** Discrepancies in the key the API did not list. */
  missed: KeyDiscrepancy[];
  /** Discrepancies the API listed that the key does not have. */
  falsePositives: KeyDiscrepancy[];
  /** Other figures that differ: what, the key's value, the API's. */
  differences: { figure: string; key: unknown; api: unknown }[];
  /** Figures compared (each equal or listed above). */
  compared: number;
  counts: {
    movements: number;
    discrepancies: number;
    stockRows: number;
    customers: number;
    orders: number;
    marginRows: number;
    /** Events the ERP's webhook receiver kept, and deliveries it had already (at least once). */
    webhookEvents?: number;
    webhookDuplicates?: number;
  };
}

/** Reads every figure the key has from the gateway's API and compares them. */
export async function compareWithKey(
  api: JsonApi,
  key: AnswerKey,
  asOf: string,
): Promise<KeyReport> {
  const differences: KeyReport["differences"] = [];
  let compared = 0;
  const check = (figure: string, expected: unknown, actual: unknown) => {
    compared += 1;
    if (JSON.stringify(expected) !== JSON.stringify(actual))
      differences.push({ figure, key: expected, api: actual });
  };

  const { rows } = await api.get<{ rows: KeyStockRow[] }>("/stock");
  check("stock per product and zone", key.stock, [...rows].sort(compareRows));

  const { marginRows } = await compareValuation(api, key, check);

  const movements = await countMovements(api);
  check("movements by kind", key.movements, movements);
  // The dashboard's movement events add up to the same items, for each kind one answer holds whole.
  const eventItems = await countEventItems(api, Object.keys(key.movements));
  for (const [kind, items] of Object.entries(eventItems))
    if (items !== null) check(`items in ${kind} events`, key.movements[kind] ?? 0, items);

  const report = await api.get<{ discrepancies: (KeyDiscrepancy & { evidence: unknown[] })[] }>(
    "/reconciliation?graceDays=0",
  );
  const listed = report.discrepancies.map(
    (d): KeyDiscrepancy => ({
      kind: d.kind,
      order: d.order,
      sku: d.sku,
      gtin: d.kind === "unknown_product" ? d.gtin : null,
      observed: d.observed,
      invoiced: d.invoiced,
      amount: d.amount,
      evidence: d.evidence.length,
    }),
  );
  const id = (d: KeyDiscrepancy) => JSON.stringify(d);
  const listedIds = new Set(listed.map(id));
  const keyIds = new Set(key.discrepancies.map(id));
  const missed = key.discrepancies.filter((d) => !listedIds.has(id(d)));
  const falsePositives = listed.filter((d) => !keyIds.has(id(d)));
  compared += key.discrepancies.length + falsePositives.length;

  for (const [customer, expected] of Object.entries(key.exposure)) {
    const statement = await api.get<{
      exposure: Record<string, { amount: number } | number>;
    }>(`/credit/${customer}`);
    const parts = statement.exposure;
    const amount = (name: string) => {
      const part = parts[name];
      return typeof part === "number" ? part : (part?.amount ?? null);
    };
    check(`exposure of ${customer}`, expected, {
      openInvoices: amount("openInvoices"),
      unappliedPayments: amount("unappliedPayments"),
      shippedNotInvoiced: amount("shippedNotInvoiced"),
      counterSales: amount("counterSales"),
      openOrders: amount("openOrders"),
      total: amount("total"),
    });
  }

  const aging = await api.get<{
    customers: {
      customer: string;
      buckets: Record<string, number>;
      unapplied: number;
      total: number;
    }[];
    total: number;
  }>(`/receivables/aging?asOf=${asOf}`);
  for (const customer of new Set([
    ...Object.keys(key.aging),
    ...aging.customers.map((row) => row.customer),
  ])) {
    const row = aging.customers.find((candidate) => candidate.customer === customer);
    check(
      `aged balance of ${customer}`,
      key.aging[customer] ?? null,
      row ? { buckets: row.buckets, unapplied: row.unapplied, total: row.total } : null,
    );
  }
  check("aged balance total", key.agingTotal, aging.total);

  // The list gives at most 1 000 orders (a month of the site has about 300); an order of the
  // key it leaves out is read on its own, and the per-state counts cover them all.
  const listedOrders = await api.get<{
    orders: { number: string; state: string }[];
    counts: Record<string, number>;
  }>("/orders?limit=1000");
  const states = new Map(listedOrders.orders.map((order) => [order.number, order.state]));
  for (const number of Object.keys(key.orders)) {
    if (states.has(number)) continue;
    const one = await api.get<{ state: string }>(`/orders/${number}`).catch((error: unknown) => {
      if (error instanceof ApiCallError && error.status === 404) return null;
      throw error;
    });
    if (one) states.set(number, one.state);
  }
  const expected = Object.fromEntries(
    Object.entries(key.orders).sort(([a], [b]) => a.localeCompare(b)),
  );
  for (const number of [...new Set([...Object.keys(expected), ...states.keys()])].sort())
    check(`state of order ${number}`, expected[number] ?? null, states.get(number) ?? null);
  // Per state, states with orders only, in name order (the comparison is of JSON text).
  const keyCounts = new Map<string, number>();
  for (const state of Object.values(key.orders))
    keyCounts.set(state, (keyCounts.get(state) ?? 0) + 1);
  const byName = (entries: Iterable<[string, number]>) =>
    Object.fromEntries(
      [...entries].filter(([, count]) => count > 0).sort(([a], [b]) => a.localeCompare(b)),
    );
  check("orders per state", byName(keyCounts), byName(Object.entries(listedOrders.counts)));
  check("orders held", key.held, listedOrders.counts.held ?? 0);

  return {
    missed,
    falsePositives,
    differences,
    compared,
    counts: {
      movements: Object.values(movements).reduce((sum, count) => sum + count, 0),
      discrepancies: listed.length,
      stockRows: rows.length,
      customers: Object.keys(key.exposure).length,
      orders: states.size,
      marginRows,
    },
  };
}

/**
 * The items of each kind's movement events (GET /movements/events) summed;
 * null for a kind whose events one answer does not hold whole (more than
 * the route scans, or a full page).
 */
async function countEventItems(
  api: JsonApi,
  kinds: readonly string[],
): Promise<Record<string, number | null>> {
  const LIMIT = 200;
  const counts: Record<string, number | null> = {};
  for (const kind of kinds) {
    const answer = await api.get<{ events: { count: number }[]; complete: boolean }>(
      `/movements/events?kind=${kind}&limit=${LIMIT}`,
    );
    counts[kind] =
      answer.complete && answer.events.length < LIMIT
        ? answer.events.reduce((sum, event) => sum + event.count, 0)
        : null;
  }
  return counts;
}

/** Every movement the gateway stored, page by page, counted by kind. */
async function countMovements(api: JsonApi): Promise<Record<string, number>> {
  const counts: Record<string, number> = { receive: 0, putaway: 0, pick: 0, ship: 0 };
  let before: string | null = null;
  do {
    const page: { movements: { kind: string }[]; next: string | null } = await api.get(
      `/movements?limit=1000${before ? `&before=${before}` : ""}`,
    );
    for (const movement of page.movements) counts[movement.kind] = (counts[movement.kind] ?? 0) + 1;
    before = page.next;
  } while (before);
  return counts;
}
