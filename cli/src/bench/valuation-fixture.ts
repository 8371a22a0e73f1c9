import { generateIdentity } from "@comptoir/contracts";
import { Catalog, GatewayLedger, RECEIVABLES_SCHEMA, type Store } from "@comptoir/gateway";
import {
  batcher,
  CUSTOMERS,
  catalogCost,
  DAY,
  epcOf,
  gtinOf,
  HEAVY_QUANTITY,
  invoicing,
  iso,
  KINDS,
  Kind,
  ORDER_SIZE,
  OTHER_LINES,
  type Plan,
  plan,
  random,
  SALE_SIZE,
  SHELVES,
  SUPPLIERS,
  shelfChain,
  shelfOf,
  skuName,
} from "./valuation-plan.js";

/**
 * A year of a warehouse for `comptoir bench valuation`, written straight into
 * the gateway's tables with prepared INSERTs in one transaction (the bench
 * measures valuation, not ingest, which `bench gateway` measures).
 *
 * Purchase orders arrive evenly over the year at two docks; each brings one
 * line of the heavy product (about 45 % of the units, so that one of its
 * first layers is drawn by ~100 000 later exits at full size) and five lines
 * of others, picked by a Zipf law. Every unit is one tag: received at the dock
 * under its PO, put away on its product's shelf, then after an exponential
 * dwell picked and shipped for a sales order (8 units an order), or sold at a
 * counter (3 %), or written off (0.2 %), or still on site at the end. Units
 * dwell at random, so shipments often take a newer unit than FIFO would.
 * Supplier invoices come 2–10 days after their receipt, one in ten late
 * (30–90 days, after most of its units have gone); the newest POs have none
 * yet (provisional layers); the first `heldBack` POs' invoices are kept out,
 * for the bench to bring in back-dated.
 */

export interface FixtureOptions {
  /** Movements written, exactly. */
  movements: number;
  /** Supplier invoice lines written, exactly. */
  supplierLines: number;
  /** Early POs left without their invoice, for the bench to bring in late. */
  heldBack: number;
  products?: number;
  seed?: number;
}

/** A PO whose supplier invoice the fixture kept out. */
export interface HeldBackInvoice {
  order: string;
  supplier: string;
  receivedAt: string;
  lines: { sku: string; quantity: number; unitPrice: number }[];
}

/** An item on site at the end, with the chain and zone a movement of it would come from. */
export interface UnitOnSite {
  epc: string;
  sku: string;
  zone: string;
}

export interface ValuationFixture {
  movements: number;
  byKind: Record<string, number>;
  units: number;
  onSite: UnitOnSite[];
  purchaseOrders: number;
  layers: number;
  supplierInvoices: number;
  supplierLines: number;
  /** Invoice lines recorded more than 20 days after their receipt. */
  lateLines: number;
  /** Received PO lines with no invoice line (still at catalog cost). */
  provisionalLayers: number;
  heldBack: HeldBackInvoice[];
  heavySku: string;
  /** Units of the heavy product that left after the first held-back PO's receipt. */
  heavyExitsAfterHeldBack: number;
  heavyMovementsAfterHeldBack: number;
  products: number;
  /** The first and last movement. */
  from: string;
  to: string;
  /** The last seq written per chain (the next movement of a chain takes the one after). */
  heads: Map<string, number>;
}

/** Plans the year and writes it into `store`; the counts it returns are what was written. */
export function fillValuationFixture(store: Store, options: FixtureOptions): ValuationFixture {
  const products = options.products ?? 200;
  const rand = random(options.seed ?? 16);
  // Lines enough for the invoices, the held-back POs and some newest POs not yet invoiced;
  // units per PO such that their movements slightly exceed the target (cut at it).
  let pos = Math.ceil((options.supplierLines * 1.06) / (1 + OTHER_LINES)) + options.heldBack;
  for (let attempt = 0; attempt < 6; attempt++, pos = Math.ceil(pos * 1.05)) {
    const unitsPerPo = (options.movements * 1.03) / (3.85 * pos);
    const heavy = (HEAVY_QUANTITY[0] + HEAVY_QUANTITY[1]) / 2;
    const otherSecond = Math.min(1, Math.max(0, (unitsPerPo - heavy) / OTHER_LINES - 1));
    const p = plan(pos, products, otherSecond, rand);
    if (p.events < options.movements) continue;
    if (p.events >= 4_194_304) throw new Error("the fixture holds at most 4 194 303 events");
    const cutEvent = p.order[options.movements - 1] as number;
    const cut = Math.floor(cutEvent / 4_194_304);
    const invoices = invoicing(p, pos, cut, options, rand);
    if (!invoices) continue;
    return write(store, options, products, pos, p, invoices);
  }
  throw new Error(
    `could not plan ${options.movements} movements with ${options.supplierLines} invoice lines`,
  );
}

function write(
  store: Store,
  options: FixtureOptions,
  products: number,
  pos: number,
  p: Plan,
  invoices: { arrival: Float64Array; invoiced: Int32Array },
): ValuationFixture {
  const db = store.db;
  // The tables made by the gateway's own code: the catalog's, the receivables'.
  new Catalog(db, new GatewayLedger(store, generateIdentity()));
  db.exec(RECEIVABLES_SCHEMA);
  const chains = ["dock-1", "dock-2", "shelf-1", "shelf-2", "shelf-3", "shelf-4", "pos-1", "pos-2"];
  for (const chain of chains) store.enrollNode(chain, "00");
  const zones = ["receiving", "dispatch", ...Array.from({ length: SHELVES }, (_, i) => shelfOf(i))];
  const sql = {
    product: db.prepare(
      "INSERT INTO products (sku, gtin, name, unit_price, unit_cost, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'EUR', ?, ?)",
    ),
    gtin: db.prepare("INSERT INTO product_gtins (gtin, sku) VALUES (?, ?)"),
    entry: db.prepare(
      "INSERT INTO entries (chain, seq, ts, type, data, prev, hash, received_at) VALUES (?, ?, ?, 'movement', ?, '', '', ?)",
    ),
    movement: db.prepare(
      "INSERT INTO movements (chain, seq, epc, sku, gtin, kind, from_zone, to_zone, at, received_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
    ),
    shipment: db.prepare(
      "INSERT INTO shipments (chain, seq, epc, sku, gtin, order_ref, customer, at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
    ),
    tag: db.prepare(
      "INSERT INTO tags (epc, sku, gtin, zone, chain, seq) VALUES (?, ?, NULL, ?, ?, ?)",
    ),
    head: db.prepare("UPDATE nodes SET head_seq = ? WHERE id = ?"),
  };
  const units = p.unitLine.length;
  const lastChain = new Int8Array(units).fill(-1);
  const lastSeq = new Int32Array(units);
  const lastZone = new Int8Array(units).fill(-1);
  const heads = new Map(chains.map((chain) => [chain, 0]));
  const byKind: Record<string, number> = Object.fromEntries(KINDS.map((kind) => [kind, 0]));
  const lineReceived = new Uint8Array(p.lineSku.length);
  const salesOrders = batcher(ORDER_SIZE);
  const counterSales = batcher(SALE_SIZE);
  let heavyExits = 0;
  let heavyMovements = 0;
  const heldBackAt = options.heldBack > 0 ? (p.poAt[0] as number) : Number.POSITIVE_INFINITY;
  const now = iso(Math.floor((p.order[options.movements - 1] as number) / 4_194_304) + 60);
  const onSite = db.transaction(() => {
    for (let i = 0; i < products; i++) {
      const cost = catalogCost(i);
      sql.product.run(
        skuName(i),
        gtinOf(i),
        `Product ${i}`,
        Math.round(cost * 1.6),
        cost,
        now,
        now,
      );
      sql.gtin.run(gtinOf(i), skuName(i));
    }
    for (let k = 0; k < options.movements; k++) {
      const key = p.order[k] as number;
      const e = key % 4_194_304;
      const seconds = Math.floor(key / 4_194_304);
      const unit = p.eventUnit[e] as number;
      const kind = p.eventKind[e] as Kind;
      const line = p.unitLine[unit] as number;
      const po = Math.floor(line / (1 + OTHER_LINES));
      const skuIndex = p.lineSku[line] as number;
      const sku = skuName(skuIndex);
      const shelf = shelfOf(skuIndex);
      const u2 = unit % 2;
      let chain: string;
      let from: string | null;
      let to: string | null;
      let extra: Record<string, string> = {};
      if (kind === Kind.Receive) {
        chain = chains[po % 2] as string;
        [from, to] = [null, "receiving"];
        extra = { order: `PO-${po}` };
        lineReceived[line] = 1;
      } else if (kind === Kind.Putaway || kind === Kind.Pick) {
        chain = shelfChain(skuIndex);
        [from, to] = kind === Kind.Putaway ? ["receiving", shelf] : [shelf, "dispatch"];
      } else if (kind === Kind.Ship) {
        chain = chains[u2] as string;
        [from, to] = ["dispatch", null];
        const order = salesOrders(u2);
        extra = { order: `SO-${order}`, customer: `C-${order % CUSTOMERS}` };
      } else if (kind === Kind.Sale) {
        chain = chains[6 + u2] as string;
        [from, to] = [shelf, null];
        extra = { order: `V-${counterSales(u2)}` };
      } else {
        chain = shelfChain(skuIndex);
        [from, to] = [shelf, null];
        extra = { reason: "damaged" };
      }
      const seq = (heads.get(chain) as number) + 1;
      heads.set(chain, seq);
      const at = iso(seconds);
      const receivedAt = iso(seconds + 2);
      const epc = epcOf(unit);
      const reader = chain.startsWith("dock") ? `portal-${chain.slice(5)}` : `${chain}-reader`;
      const data = {
        epc,
        sku,
        kind: KINDS[kind],
        from,
        to,
        reader,
        antennas: [1, 2],
        reads: 3,
        at,
        ...extra,
      };
      sql.entry.run(chain, seq, at, JSON.stringify(data), receivedAt);
      sql.movement.run(chain, seq, epc, sku, KINDS[kind], from, to, at, receivedAt);
      if (kind === Kind.Ship)
        sql.shipment.run(chain, seq, epc, sku, extra.order, extra.customer, at);
      byKind[KINDS[kind]] = (byKind[KINDS[kind]] as number) + 1;
      lastChain[unit] = chains.indexOf(chain);
      lastSeq[unit] = seq;
      lastZone[unit] = to === null ? -1 : zones.indexOf(to);
      if (skuIndex === 0 && seconds > heldBackAt) {
        heavyMovements++;
        if (to === null) heavyExits++;
      }
    }
    const onSite: UnitOnSite[] = [];
    for (let unit = 0; unit < units; unit++) {
      const chain = lastChain[unit] as number;
      if (chain < 0) continue;
      const zone = lastZone[unit] as number;
      const sku = skuName(p.lineSku[p.unitLine[unit] as number] as number);
      sql.tag.run(epcOf(unit), sku, zone < 0 ? null : zones[zone], chains[chain], lastSeq[unit]);
      if (zone >= 0) onSite.push({ epc: epcOf(unit), sku, zone: zones[zone] as string });
    }
    db.exec(
      "INSERT INTO stock (sku, gtin, zone, count) SELECT sku, '', zone, COUNT(*) FROM tags WHERE zone IS NOT NULL GROUP BY sku, zone",
    );
    for (const [chain, seq] of heads) sql.head.run(seq, chain);
    return onSite;
  })();
  const written = writeInvoices(db, p, pos, invoices, lineReceived);
  const held: HeldBackInvoice[] = [];
  for (let po = 0; po < options.heldBack; po++) {
    const lines = [];
    for (let l = po * (1 + OTHER_LINES); l < (po + 1) * (1 + OTHER_LINES); l++) {
      lines.push({
        sku: skuName(p.lineSku[l] as number),
        quantity: p.lineQuantity[l] as number,
        unitPrice: p.linePrice[l] as number,
      });
    }
    held.push({
      order: `PO-${po}`,
      supplier: supplierOf(po),
      receivedAt: iso(p.poAt[po] as number),
      lines,
    });
  }
  return {
    movements: options.movements,
    byKind,
    units: lastChain.reduce((n, chain) => (chain >= 0 ? n + 1 : n), 0),
    onSite,
    purchaseOrders: pos,
    layers: lineReceived.reduce((n, received) => n + received, 0),
    ...written,
    heldBack: held,
    heavySku: skuName(0),
    heavyExitsAfterHeldBack: heavyExits,
    heavyMovementsAfterHeldBack: heavyMovements,
    products,
    from: iso(Math.floor((p.order[0] as number) / 4_194_304)),
    to: iso(Math.floor((p.order[options.movements - 1] as number) / 4_194_304)),
    heads,
  };
}

const supplierOf = (po: number) => `SUP-${String(po % SUPPLIERS).padStart(2, "0")}`;

/** The supplier invoices of the invoiced POs, each recorded when it arrived. */
function writeInvoices(
  db: Store["db"],
  p: Plan,
  pos: number,
  { arrival, invoiced }: { arrival: Float64Array; invoiced: Int32Array },
  lineReceived: Uint8Array,
): Pick<
  ValuationFixture,
  "supplierInvoices" | "supplierLines" | "lateLines" | "provisionalLayers"
> {
  const invoice = db.prepare(
    `INSERT INTO invoices (direction, seller, number, type, customer, supplier, issue_date, due_date, currency, order_ref,
       despatch_ref, preceding, net_total, vat_total, gross_total, prepaid, amount_due, source, document, revision, recorded_at, updated_at)
     VALUES ('supplier', ?, ?, 'invoice', NULL, ?, ?, ?, 'EUR', ?, NULL, NULL, ?, ?, ?, 0, ?, 'json', '{}', 1, ?, ?)`,
  );
  const line = db.prepare(
    `INSERT INTO invoice_lines (direction, seller, number, line, id, gtin, sku, name, quantity, unit_code, unit_price, net_amount, vat_rate)
     VALUES ('supplier', ?, ?, ?, ?, NULL, ?, NULL, ?, 'C62', ?, ?, 20)`,
  );
  const counts = { supplierInvoices: 0, supplierLines: 0, lateLines: 0, provisionalLayers: 0 };
  db.transaction(() => {
    for (let po = 0; po < pos; po++) {
      const first = po * (1 + OTHER_LINES);
      const count = invoiced[po] as number;
      for (let l = first + count; l < first + 1 + OTHER_LINES; l++)
        counts.provisionalLayers += lineReceived[l] as number;
      if (count === 0) continue;
      const seller = supplierOf(po);
      const number = `FA-${po}`;
      let net = 0;
      for (let l = first; l < first + count; l++) {
        const amount = (p.linePrice[l] as number) * (p.lineQuantity[l] as number);
        net += amount;
        line.run(
          seller,
          number,
          l - first + 1,
          String(l - first + 1),
          skuName(p.lineSku[l] as number),
          p.lineQuantity[l] as number,
          p.linePrice[l] as number,
          amount,
        );
      }
      const vat = Math.round(net * 0.2);
      const issued = iso(p.poAt[po] as number).slice(0, 10);
      const due = iso((p.poAt[po] as number) + 30 * DAY).slice(0, 10);
      const recorded = iso(arrival[po] as number);
      invoice.run(
        seller,
        number,
        seller,
        issued,
        due,
        `PO-${po}`,
        net,
        vat,
        net + vat,
        net + vat,
        recorded,
        recorded,
      );
      counts.supplierInvoices++;
      counts.supplierLines += count;
      if ((arrival[po] as number) - (p.poAt[po] as number) > 20 * DAY) counts.lateLines += count;
    }
  })();
  return counts;
}
