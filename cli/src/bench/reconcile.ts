import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity } from "@comptoir/contracts";
import {
  agingReport,
  Catalog,
  computeExposure,
  GatewayLedger,
  GoodsProjection,
  PaymentApplication,
  RECEIVABLES_SCHEMA,
  Receivables,
  runReconciliation,
  Store,
} from "@comptoir/gateway";
import { type Bench, result } from "./result.js";

const ITEMS_PER_ORDER = 10;
const CUSTOMERS = 500;
const SKUS = 200;

/**
 * A site of `invoices` customer invoices (two lines of 5 items each, one
 * order each) and `10 × invoices` ship movements with their entries,
 * written straight into the tables (this measures reconciliation, not
 * ingest); 1 % of orders ship one item fewer than invoiced, half the
 * invoices are paid.
 */
export function fill(store: Store, invoices: number): void {
  const db = store.db;
  db.exec(RECEIVABLES_SCHEMA);
  store.enrollNode("dock-1", "00");
  const insertEntry = db.prepare(
    "INSERT INTO entries (chain, seq, ts, type, data, prev, hash, received_at) VALUES (?, ?, ?, 'movement', ?, '', '', ?)",
  );
  const insertMovement = db.prepare(
    "INSERT INTO movements (chain, seq, epc, sku, kind, from_zone, to_zone, at, received_at) VALUES (?, ?, ?, ?, 'ship', 'dock', NULL, ?, ?)",
  );
  const insertInvoice = db.prepare(
    `INSERT INTO invoices (direction, seller, number, type, customer, supplier, issue_date, due_date, currency, order_ref,
       despatch_ref, preceding, net_total, vat_total, gross_total, prepaid, amount_due, source, document, revision, recorded_at, updated_at)
     VALUES ('customer', '', ?, 'invoice', ?, NULL, ?, ?, 'EUR', ?, NULL, NULL, ?, 0, ?, 0, ?, 'json', '{}', 1, ?, ?)`,
  );
  const insertLine = db.prepare(
    "INSERT INTO invoice_lines (direction, seller, number, line, id, gtin, sku, name, quantity, unit_code, unit_price, net_amount, vat_rate) VALUES ('customer', '', ?, ?, ?, NULL, ?, NULL, ?, NULL, 100, ?, NULL)",
  );
  const insertPart = db.prepare(
    "INSERT INTO invoice_instalments (direction, seller, number, part, due_date, amount) VALUES ('customer', '', ?, 1, ?, ?)",
  );
  const insertPayment = db.prepare(
    "INSERT INTO payments (id, date, amount, currency, label, reference, customer, payer, recorded_at) VALUES (?, ?, ?, 'EUR', '', NULL, ?, NULL, ?)",
  );
  const insertAllocation = db.prepare(
    "INSERT INTO allocations (letter, source, source_id, invoice, customer, amount, rule, by_kind, by_id, at) VALUES (?, 'payment', ?, ?, ?, ?, 'reference', 'system', 'bench', ?)",
  );
  const start = Date.parse("2026-01-01T08:00:00.000Z");
  let seq = 0;
  db.transaction(() => {
    for (let i = 0; i < invoices; i++) {
      const order = `SO-${i}`;
      const customer = `C-${i % CUSTOMERS}`;
      const at = new Date(start + i * 60_000).toISOString();
      const day = at.slice(0, 10);
      const skus = [`SKU-${i % SKUS}`, `SKU-${(i + 1) % SKUS}`];
      const shipped = i % 100 === 0 ? ITEMS_PER_ORDER - 1 : ITEMS_PER_ORDER;
      for (let k = 0; k < shipped; k++) {
        seq++;
        const epc = `3034${seq.toString(16).toUpperCase().padStart(20, "0")}`;
        const sku = skus[k % 2] as string;
        insertEntry.run(
          "dock-1",
          seq,
          at,
          JSON.stringify(shipData(epc, sku, at, order, customer)),
          at,
        );
        insertMovement.run("dock-1", seq, epc, sku, at, at);
      }
      const amount = ITEMS_PER_ORDER * 100;
      const due = new Date(start + i * 60_000 + 30 * 86_400_000).toISOString().slice(0, 10);
      insertInvoice.run(`F-${i}`, customer, day, due, order, amount, amount, amount, at, at);
      insertLine.run(`F-${i}`, 1, "1", skus[0], ITEMS_PER_ORDER / 2, amount / 2);
      insertLine.run(`F-${i}`, 2, "2", skus[1], ITEMS_PER_ORDER / 2, amount / 2);
      insertPart.run(`F-${i}`, due, amount);
      if (i % 2 === 0) {
        insertPayment.run(`P-${i}`, due, amount, customer, at);
        insertAllocation.run(`L${i}`, `P-${i}`, `F-${i}`, customer, amount, at);
      }
    }
  })();
}

/** The data of a ship movement through the dock portal, as a node records it. */
function shipData(epc: string, sku: string, at: string, order: string, customer?: string) {
  return {
    epc,
    sku,
    kind: "ship",
    from: "dock",
    to: null,
    reader: "portal-1",
    antennas: [1],
    reads: 3,
    at,
    order,
    ...(customer ? { customer } : {}),
  };
}

/** One more item shipped on `order`, stored as ingest stores it (entry and movement row). */
function addMovement(store: Store, seq: number, order: string): void {
  const at = "2026-12-01T10:00:00.000Z";
  const epc = `3035${seq.toString(16).toUpperCase().padStart(20, "0")}`;
  const data = shipData(epc, "SKU-EXTRA", at, order);
  store.db
    .prepare(
      "INSERT INTO entries (chain, seq, ts, type, data, prev, hash, received_at) VALUES ('dock-1', ?, ?, 'movement', ?, '', '', ?)",
    )
    .run(seq, at, JSON.stringify(data), at);
  store.db
    .prepare(
      "INSERT INTO movements (chain, seq, epc, sku, kind, from_zone, to_zone, at, received_at) VALUES ('dock-1', ?, ?, 'SKU-EXTRA', 'ship', 'dock', NULL, ?, ?)",
    )
    .run(seq, epc, at, at);
}

/**
 * Medians of 21 payments, each naming an open invoice in its label, as a
 * bank export brings them: identified, applied (cash application) and
 * recorded with its gateway-ledger entry in one durable transaction; then,
 * apart, the customer's exposure computed again for the credit snapshot
 * the counters receive.
 */
function paymentRounds(
  store: Store,
  ledger: GatewayLedger,
  catalog: Catalog,
  invoices: number,
): { applied: number; exposure: number } {
  const receivables = new Receivables(store.db, ledger, catalog);
  const payments = new PaymentApplication(
    store.db,
    ledger,
    catalog,
    receivables.read,
    receivables.changes,
  );
  const applied: number[] = [];
  const exposure: number[] = [];
  for (let round = 0; round < 21; round++) {
    // Odd invoices are the unpaid half.
    const invoice = Math.floor(invoices / 2) + 2 * round + 1;
    const started = process.hrtime.bigint();
    const paid = payments.record(
      {
        id: `BANK-${round}`,
        date: "2026-12-30",
        amount: ITEMS_PER_ORDER * 100,
        currency: "EUR",
        label: `VIR F-${invoice}`,
      },
      { kind: "system", id: "bench" },
    );
    applied.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!paid.customer) throw new Error(`the payment for F-${invoice} found no customer`);
    if (paid.allocations.length !== 1) throw new Error(`F-${invoice} was not matched`);
    const exposed = time(() =>
      computeExposure(store.db, receivables.read, catalog, paid.customer as string, "EUR"),
    );
    exposure.push(exposed.ms);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[10] as number;
  return { applied: median(applied), exposure: median(exposure) };
}

/** The baseline: the same two aggregations in SQL, shipped and invoiced per order and SKU, without matching them. */
function aggregateOnly(store: Store): number {
  const shipped = store.db
    .prepare(
      `SELECT json_extract(e.data, '$.order') AS order_ref, m.sku, COUNT(*) AS n FROM movements m
       JOIN entries e ON e.chain = m.chain AND e.seq = m.seq WHERE m.kind = 'ship' GROUP BY 1, 2`,
    )
    .all().length;
  const invoiced = store.db
    .prepare(
      `SELECT i.order_ref, l.sku, SUM(l.quantity) FROM invoices i JOIN invoice_lines l
         ON l.direction = i.direction AND l.seller = i.seller AND l.number = i.number
       WHERE i.direction = 'customer' GROUP BY 1, 2`,
    )
    .all().length;
  return shipped + invoiced;
}

/** The aged balance's baseline: the open balance per customer in one SQL sum, without buckets. */
function balanceOnly(store: Store): number {
  return store.db
    .prepare(
      `SELECT customer, SUM(amount) FROM (
         SELECT customer, amount_due AS amount FROM invoices WHERE direction = 'customer'
         UNION ALL SELECT customer, -amount FROM allocations WHERE undone_at IS NULL)
       GROUP BY 1`,
    )
    .all().length;
}

function time<T>(run: () => T): { ms: number; value: T } {
  const started = process.hrtime.bigint();
  const value = run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

export const reconcileBench: Bench = {
  name: "reconcile",
  summary:
    "full reconciliation and aged balance over 100 000 invoices and 1 000 000 movements, against the same SQL aggregation without matching",
  async run({ quick, log }) {
    const invoices = quick ? 10_000 : 100_000;
    const dir = await mkdtemp(join(tmpdir(), "comptoir-bench-reconcile-"));
    const store = new Store(join(dir, "gateway.db"));
    try {
      const ledger = new GatewayLedger(store, generateIdentity());
      const catalog = new Catalog(store.db, ledger);
      log(
        `reconcile: writing ${invoices.toLocaleString("en")} invoices and ${(invoices * ITEMS_PER_ORDER).toLocaleString("en")} movements…`,
      );
      const filled = time(() => fill(store, invoices));
      log(`reconcile: written in ${Math.round(filled.ms)} ms`);
      const now = new Date("2026-12-31T00:00:00.000Z");
      // Warm the page cache once so that both sides read from memory.
      aggregateOnly(store);
      const baseline = time(() => aggregateOnly(store));
      // Copying the evidence into columns happens once per movement, as they arrive; measured apart.
      const projected = time(() => new GoodsProjection(store.db).catchUp());
      const full = time(() => runReconciliation(store, catalog, { side: "sales", now }));
      // Each short order is one invoiced_not_shipped: the one item of its second SKU not shipped.
      const short = full.value.counts.invoiced_not_shipped;
      log(
        `reconcile: ${short} short shipments found as invoiced_not_shipped (expected ${Math.ceil(invoices / 100)})`,
      );
      const balanceBaseline = time(() => balanceOnly(store));
      const aging = time(() => agingReport(store.db, "2026-12-31", "due", "EUR"));
      if (aging.value.total !== aging.value.balance)
        throw new Error("aged balance total differs from the balance");
      // Incremental: one more item shipped on one order (stored as ingest stores it, which
      // the gateway bench measures), then that order reconciled again: the new movement
      // copied into the goods projection and the order matched. The median of 21 rounds,
      // each on its own order.
      const rounds: number[] = [];
      let one = { ms: 0, value: full.value };
      for (let round = 0; round < 21; round++) {
        const target = `SO-${Math.floor(invoices / 2) + round}`;
        addMovement(store, invoices * ITEMS_PER_ORDER + 1 + round, target);
        one = time(() => runReconciliation(store, catalog, { side: "sales", order: target, now }));
        rounds.push(one.ms);
      }
      rounds.sort((a, b) => a - b);
      one = { ms: rounds[10] as number, value: one.value };
      if (one.value.discrepancies.length !== 1) throw new Error("the extra item was not seen");
      const payment = paymentRounds(store, ledger, catalog, invoices);
      return [
        result(
          `full reconciliation (${invoices.toLocaleString("en")} invoices, ${(invoices * ITEMS_PER_ORDER).toLocaleString("en")} movements)`,
          full.ms,
          "ms",
          baseline.ms,
          { atMost: 3000 },
        ),
        result(
          "evidence copied into columns, once per movement (all of them)",
          projected.ms,
          "ms",
          baseline.ms,
        ),
        result("aged balance, every customer", aging.ms, "ms", balanceBaseline.ms, {
          atMost: 3000,
        }),
        result("a new movement: its order reconciled again", one.ms, "ms", baseline.ms / invoices, {
          atMost: 1,
        }),
        result(
          "a new payment: identified, applied, recorded",
          payment.applied,
          "ms",
          baseline.ms / invoices,
          {
            atMost: 1,
          },
        ),
        result(
          "then its customer's exposure, for the counters' snapshot",
          payment.exposure,
          "ms",
          baseline.ms / invoices,
        ),
      ];
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
