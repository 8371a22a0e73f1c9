import type { Database } from "better-sqlite3";
import { effectiveAtSql } from "../store/clock-flags.js";
import { prepared } from "./statements.js";
import type { Discrepancy, Evidence } from "./types.js";

interface TagRow {
  gtin: string;
  epc: string;
  zone: string | null;
  chain: string;
  at: string;
  reader: string | null;
  antennas: string | null;
}

/**
 * Items whose GTIN no product of the catalog has, and that no one
 * commissioned to a SKU: one `unknown_product` per GTIN, with how many items
 * were seen, where they are now, and the read that put each one there. Never
 * a stock gap under a GTIN: the fix is a product in the catalog (or the GTIN
 * added to one), after which its items count under it, past ones included.
 */
export function unknownProducts(db: Database, now: Date): Discrepancy[] {
  const rows = prepared<[], TagRow>(
    db,
    `SELECT t.gtin, t.epc, t.zone, m.chain, ${effectiveAtSql("m")} AS at,
            json_extract(e.data, '$.reader') AS reader, json_extract(e.data, '$.antennas') AS antennas
       FROM tags t
       JOIN movements m ON m.chain = t.chain AND m.seq = t.seq
       JOIN entries e ON e.chain = m.chain AND e.seq = m.seq
      WHERE t.sku IS NULL AND t.gtin IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM product_gtins pg WHERE pg.gtin = t.gtin)
      ORDER BY t.gtin, 5, t.epc`,
  ).all();
  const byGtin = new Map<string, TagRow[]>();
  for (const row of rows) byGtin.set(row.gtin, [...(byGtin.get(row.gtin) ?? []), row]);
  const nowMs = now.getTime();
  return [...byGtin].map(([gtin, items]) => {
    const zones = new Map<string, number>();
    for (const item of items) {
      const zone = item.zone ?? "off-site";
      zones.set(zone, (zones.get(zone) ?? 0) + 1);
    }
    const since = items[0]?.at ?? now.toISOString();
    return {
      id: `unknown_product:${gtin}:${items.length}`,
      kind: "unknown_product",
      side: "stock",
      order: null,
      customer: null,
      supplier: null,
      sku: null,
      gtin,
      zone: [...zones].map(([zone, count]) => `${zone}=${count}`).join(" "),
      observed: items.length,
      invoiced: 0,
      difference: items.length,
      amount: null,
      unitPrice: null,
      priceFrom: null,
      invoices: [],
      ageDays: Math.max(0, Math.floor((nowMs - Date.parse(since)) / 86_400_000)),
      since,
      evidence: items.map(
        (item): Evidence => ({
          epc: item.epc,
          node: item.chain,
          reader: item.reader ?? "",
          antennas: item.antennas ? (JSON.parse(item.antennas) as number[]) : [],
          at: item.at,
        }),
      ),
    } satisfies Discrepancy;
  });
}
