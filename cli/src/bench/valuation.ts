import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CostMethod,
  generateIdentity,
  type LedgerEntry,
  ManualClock,
} from "@comptoir/contracts";
import {
  abcReport,
  Catalog,
  GatewayLedger,
  lastDays,
  Receivables,
  rotationReport,
  Store,
  type ValuationBook,
  ValuationService,
} from "@comptoir/gateway";
import { type Bench, percentile, result } from "./result.js";
import {
  fillValuationFixture,
  type HeldBackInvoice,
  type ValuationFixture,
} from "./valuation-fixture.js";

const METHOD: CostMethod = "fifo";
const HELD_BACK = 5;

function time<T>(run: () => T): { ms: number; value: T } {
  const started = process.hrtime.bigint();
  const value = run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[values.length >> 1] as number;

/** The floor of a full build: the same rows read from SQLite, their columns touched, nothing valued. */
function bareRead(store: Store): number {
  let rows = 0;
  const movements = store.db
    .prepare("SELECT chain, seq, epc, sku, gtin, kind, from_zone, to_zone, at FROM movements")
    .raw(true);
  for (const row of movements.iterate() as IterableIterator<unknown[]>) if (row[0]) rows++;
  const lines = store.db
    .prepare(
      "SELECT seller, number, sku, quantity, net_amount FROM invoice_lines WHERE direction = 'supplier'",
    )
    .raw(true);
  for (const row of lines.iterate() as IterableIterator<unknown[]>) if (row[0]) rows++;
  return rows;
}

/** Σ of the COGS of every product by `method`. */
function cogsTotal(book: ValuationBook, method: CostMethod): number {
  let total = 0;
  for (const figures of book.cogs({}, method).values()) total += figures.cogs;
  return total;
}

function stockTotal(book: ValuationBook, asOf: string | undefined, method: CostMethod): number {
  let total = 0;
  for (const figures of book.value(asOf, method).values()) total += figures.value;
  return total;
}

/** A movement entry of `chain` as a node sends it (hash unchecked: verification is not what this measures). */
function movementEntry(chain: string, seq: number, data: Record<string, unknown>): LedgerEntry {
  return { chain, seq, ts: data.at as string, type: "movement", data, prev: "", hash: "" };
}

/**
 * One movement stored as ingest stores it (`Store.appendEntries`: entry,
 * movement row, tag and stock, one durable transaction), alternately a new
 * unit received under a new PO and a unit on site shipped.
 */
function newMovements(store: Store, fixture: ValuationFixture, clock: ManualClock) {
  const heads = new Map(fixture.heads);
  let n = 0;
  let shipped = 0;
  const stride = Math.max(1, Math.floor(fixture.onSite.length / 2_000));
  return (): { sku: string } => {
    n++;
    clock.advance(1_000);
    const at = clock.now().toISOString();
    const receipt = n % 2 === 1;
    const chain = receipt ? "dock-1" : "dock-2";
    const seq = (heads.get(chain) as number) + 1;
    heads.set(chain, seq);
    let data: Record<string, unknown>;
    if (receipt) {
      const sku = `SKU-${String(n % fixture.products).padStart(3, "0")}`;
      const epc = `3035${n.toString(16).toUpperCase().padStart(20, "0")}`;
      data = { epc, sku, kind: "receive", from: null, to: "receiving", order: `PO-NEW-${n}` };
    } else {
      const unit = fixture.onSite[(shipped++ * stride) % fixture.onSite.length];
      if (!unit) throw new Error("the fixture left no unit on site to ship");
      data = { epc: unit.epc, sku: unit.sku, kind: "ship", from: unit.zone, to: null };
      Object.assign(data, { order: `SO-NEW-${n}`, customer: "C-1" });
    }
    Object.assign(data, { reader: `portal-${chain.slice(5)}`, antennas: [1], reads: 2, at });
    store.appendEntries(chain, [movementEntry(chain, seq, data)]);
    return { sku: data.sku as string };
  };
}

/** The supplier invoice of a held-back PO, recorded as the API and the imports record one (with its ledger entry). */
function recordInvoice(receivables: Receivables, held: HeldBackInvoice): void {
  const lines = held.lines.map((line, i) => ({
    id: String(i + 1),
    sku: line.sku,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    netAmount: line.quantity * line.unitPrice,
  }));
  const net = lines.reduce((sum, line) => sum + line.netAmount, 0);
  receivables.recordInvoice(
    {
      number: `LATE-${held.order}`,
      direction: "supplier",
      type: "invoice",
      supplier: held.supplier,
      issueDate: held.receivedAt.slice(0, 10),
      currency: "EUR",
      orderRef: held.order,
      lines,
      netTotal: net,
      vatTotal: 0,
      grossTotal: net,
      amountDue: net,
    },
    { kind: "system", id: "bench" },
  );
}

/** What FIFO COGS must move by when `held`'s invoice lands: its layers' drawn units × (invoice − catalog cost). */
function expectedRevaluation(
  book: ValuationBook,
  held: HeldBackInvoice,
): { delta: number; drawn: number } {
  let delta = 0;
  let drawn = 0;
  for (const line of held.lines) {
    const layer = book.layers(line.sku).find((l) => l.order === held.order);
    if (!layer) continue;
    const used = layer.quantity - layer.remaining;
    drawn += used;
    delta += used * (line.unitPrice - book.cost(layer.key).unitCost);
  }
  return { delta, drawn };
}

export const valuationBench: Bench = {
  name: "valuation",
  summary:
    "FIFO valuation and COGS over 1 000 000 movements and 100 000 supplier invoice lines, a new movement, a back-dated invoice, ABC and turnover over the year, each beside the bare read or write",
  async run({ quick, log }) {
    const movements = quick ? 200_000 : 1_000_000;
    const supplierLines = quick ? 20_000 : 100_000;
    const size = `${movements.toLocaleString("en")} movements, ${supplierLines.toLocaleString("en")} invoice lines`;
    const dir = await mkdtemp(join(tmpdir(), "comptoir-bench-valuation-"));
    const clock = new ManualClock("2027-01-01T00:00:00.000Z");
    const store = new Store(join(dir, "gateway.db"), { clock });
    try {
      log(
        `valuation: writing a year of ${size}${quick ? " (quick: a fifth of the full size)" : ""}…`,
      );
      const filled = time(() =>
        fillValuationFixture(store, { movements, supplierLines, heldBack: HELD_BACK }),
      );
      const fixture = filled.value;
      log(
        `valuation: written in ${Math.round(filled.ms)} ms: ${fixture.units.toLocaleString("en")} units, ${JSON.stringify(fixture.byKind)}, ` +
          `${fixture.purchaseOrders.toLocaleString("en")} POs, ${fixture.layers.toLocaleString("en")} layers (${fixture.provisionalLayers.toLocaleString("en")} not invoiced yet), ` +
          `${fixture.supplierInvoices.toLocaleString("en")} supplier invoices (${fixture.lateLines.toLocaleString("en")} lines late), ${fixture.onSite.length.toLocaleString("en")} units on site, ${fixture.from} → ${fixture.to}`,
      );
      clock.set(new Date(Date.parse(fixture.to) + 3_600_000));

      // 1. Full build from the store, then the value now and all COGS.
      bareRead(store); // warm the page cache, so that both sides read from memory
      const floor = time(() => bareRead(store));
      const service = new ValuationService({ db: store.db, clock, method: METHOD });
      const full = time(() => {
        const book = service.book();
        return { book, value: stockTotal(book, fixture.to, METHOD), cogs: cogsTotal(book, METHOD) };
      });
      const book = full.value.book;
      log(
        `valuation: full build ${Math.round(full.ms)} ms: stock value ${full.value.value}, COGS ${full.value.cogs} (minor units), ${book.skus().length} products`,
      );

      // 4. ABC and turnover over the last 365 days, on the book just built.
      const period = lastDays(clock.now(), 365);
      const names = (sku: string) => sku;
      const onePass = time(() => {
        let total = 0;
        for (const exit of book.exits()) total += book.exitCost(exit, METHOD);
        return total;
      });
      const analytics = time(() => {
        const abc = abcReport(book, period, { a: 80, b: 95 }, names, {
          method: METHOD,
          currency: "EUR",
        });
        const rotation = rotationReport(book, period, METHOD, names, clock.now(), "EUR");
        return { abc, rotation };
      });
      const classes = analytics.value.abc.rows.reduce<Record<string, number>>((n, row) => {
        n[row.class] = (n[row.class] ?? 0) + 1;
        return n;
      }, {});
      log(
        `valuation: ABC ${JSON.stringify(classes)}, turnover on ${analytics.value.rotation.rows.length} products; the exits' one pass: COGS ${onePass.value}`,
      );

      // 2. One new movement valued: stored as ingest stores it (not timed), then the book caught up and its product's value.
      const next = newMovements(store, fixture, clock);
      const rounds = quick ? 500 : 1_000;
      const valued = new Float64Array(rounds);
      for (let i = -100; i < rounds; i++) {
        const { sku } = next();
        const one = time(() => service.book().value(undefined, METHOD, sku).get(sku)?.value);
        if (one.value === undefined) throw new Error(`no value for ${sku} after its movement`);
        if (i >= 0) valued[i] = one.ms;
      }
      valued.sort();

      // 3. Back-dated supplier invoices, each for a PO received in the first days of the year
      // whose layers FIFO drew long ago: stored (the baseline), then the book caught up and COGS read.
      const ledger = new GatewayLedger(store, generateIdentity(), { clock });
      const receivables = new Receivables(store.db, ledger, new Catalog(store.db, ledger), {
        clock,
      });
      const revalued: number[] = [];
      const average: number[] = [];
      const inserted: number[] = [];
      let drawn = 0;
      for (const held of fixture.heldBack) {
        const before = cogsTotal(service.book(), METHOD);
        const expected = expectedRevaluation(service.book(), held);
        drawn += expected.drawn;
        inserted.push(time(() => recordInvoice(receivables, held)).ms);
        const after = time(() => cogsTotal(service.book(), METHOD));
        revalued.push(after.ms);
        if (after.value - before !== expected.delta) {
          throw new Error(
            `${held.order}'s invoice moved FIFO COGS by ${after.value - before}, expected ${expected.delta}`,
          );
        }
        average.push(time(() => cogsTotal(service.book(), "average")).ms);
      }
      log(
        `valuation: ${fixture.heldBack.length} back-dated invoices revalued ${drawn} units already gone; after the first one's receipt ${fixture.heavyExitsAfterHeldBack.toLocaleString("en")} units of ${fixture.heavySku} left (${fixture.heavyMovementsAfterHeldBack.toLocaleString("en")} of its movements); each: ${revalued.map((ms) => ms.toFixed(2)).join(", ")} ms`,
      );
      // For the record: what a rebuild from the store (the naive answer to a back-dated invoice) costs now.
      const rebuild = time(() => {
        const fresh = new ValuationService({ db: store.db, clock, method: METHOD });
        return cogsTotal(fresh.book(), METHOD);
      });
      if (rebuild.value !== cogsTotal(service.book(), METHOD))
        throw new Error("a rebuilt book's COGS differs from the book caught up");

      // 2's baseline, last, so that no book catches these up: the same kind of movement stored alone.
      const stored = new Float64Array(rounds);
      for (let i = 0; i < rounds; i++) stored[i] = time(next).ms;
      stored.sort();

      return [
        result(`full FIFO valuation and COGS (${size})`, full.ms, "ms", floor.ms, { atMost: 2000 }),
        result(
          `one new movement valued, p99 (book caught up + its product's value; the store write apart)`,
          percentile(valued, 99),
          "ms",
          percentile(stored, 99),
          { atMost: 1 },
        ),
        result(
          `a back-dated supplier invoice revaluing drawn layers (${fixture.heavyExitsAfterHeldBack.toLocaleString("en")} later exits of the product), median of ${fixture.heldBack.length}`,
          median(revalued),
          "ms",
          median(inserted),
          { atMost: 100 },
        ),
        result(
          "the same, COGS by weighted average (every later exit of the product recosted)",
          median(average),
          "ms",
          median(inserted),
        ),
        result(
          "the naive answer: the book rebuilt from the store",
          rebuild.ms,
          "ms",
          median(revalued),
        ),
        result("ABC and turnover over 365 days", analytics.ms, "ms", onePass.ms, { atMost: 1000 }),
      ];
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
