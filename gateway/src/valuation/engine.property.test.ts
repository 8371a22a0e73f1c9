import type { CostMethod, MovementKind } from "@comptoir/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { layerKey, type UnitMovement, unreceivedKey } from "./book.js";
import { createBook } from "./engine.js";
import { NaiveBook } from "./naive.js";

/**
 * The engine against the naive reference (naive.ts): random receipts,
 * moves, exits of units on site and of units never seen arriving, nodes
 * that sync late (movements arriving out of time order), and supplier
 * invoices landing at any point, also after the units they cost went out.
 */

const SKUS = ["TEA", "MUG"];
const ORDERS = ["PO-1", "PO-2", "PO-3", null];
const ZONES = ["dock", "shelf-1", "shelf-2", "picked"];
const BASE = Date.parse("2026-01-01T00:00:00.000Z");
const catalogCost = (sku: string) => (sku === "TEA" ? 500 : 333);

type Step =
  | { kind: "move"; unit: number; what: number; zone: number; order: number }
  | { kind: "cost"; sku: number; order: number; cost: number; provisional: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("move" as const),
      unit: fc.nat({ max: 7 }),
      what: fc.nat({ max: 9 }),
      zone: fc.nat({ max: ZONES.length - 1 }),
      order: fc.nat({ max: ORDERS.length - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("cost" as const),
      sku: fc.nat({ max: SKUS.length - 1 }),
      order: fc.nat({ max: ORDERS.length - 1 }),
      cost: fc.integer({ min: 0, max: 10_000 }),
      provisional: fc.boolean(),
    }),
  },
);

/** A unit's movement: "what" picks receipt (0-3), moves (4-5), exits (6-9) of each kind. */
function movement(step: Extract<Step, { kind: "move" }>, seq: number, atMs: number): UnitMovement {
  const sku = SKUS[step.unit % SKUS.length] as string;
  const zone = ZONES[step.zone] as string;
  const at = new Date(atMs).toISOString();
  const base = { chain: "n1", seq, epc: `E${step.unit}`, sku, at, order: null };
  const kinds: [MovementKind, string | null, string | null][] = [
    ["receive", null, "dock"],
    ["receive", null, "dock"],
    ["putaway", null, zone],
    ["adjust", null, zone],
    ["putaway", "dock", zone],
    ["pick", zone, "picked"],
    ["ship", "dock", null],
    ["ship", "dock", null],
    ["sale", zone, null],
    ["adjust", zone, null],
  ];
  const [kind, from, to] = kinds[step.what] as [MovementKind, string | null, string | null];
  const order = ORDERS[step.order] ?? null;
  return { ...base, kind, from, to, order: kind === "receive" || to === null ? order : null };
}

const scenarioArb = fc.array(stepArb, { minLength: 1, maxLength: 60, size: "max" }).chain((steps) =>
  fc.record({
    steps: fc.constant(steps),
    // Distinct instants (seconds into the year), in any order: arrivals out of time order.
    times: fc.uniqueArray(fc.nat({ max: 100_000 }), {
      minLength: steps.length,
      maxLength: steps.length,
    }),
    probes: fc.array(fc.nat({ max: 100_001 }), { minLength: 1, maxLength: 4 }),
  }),
);

function build({ steps, times }: { steps: Step[]; times: number[] }) {
  const book = createBook({ catalogCost });
  const naive = new NaiveBook(catalogCost);
  steps.forEach((step, i) => {
    if (step.kind === "move") {
      const m = movement(step, i + 1, BASE + (times[i] as number) * 1000);
      book.apply(m);
      naive.apply(m);
    } else {
      const sku = SKUS[step.sku] as string;
      const key =
        step.order === ORDERS.length - 1
          ? unreceivedKey(sku)
          : layerKey(sku, ORDERS[step.order] ?? null);
      const cost = {
        unitCost: step.cost,
        provisional: step.provisional,
        invoice: step.provisional ? null : "F",
      };
      book.setCost(key, cost);
      naive.setCost(key, cost);
    }
  });
  return { book, naive };
}

const METHODS: CostMethod[] = ["fifo", "average"];

describe("valuation engine against the naive reference", () => {
  it("layers, units on site, exits and their FIFO and actual layers, the next unit's cost", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { book, naive } = build(scenario);
        for (const sku of SKUS) {
          const state = naive.replay(sku);
          const layers = book.layers(sku);
          expect(layers.map((l) => [l.key, l.receivedAt, l.quantity, l.remaining])).toEqual(
            state.layers.map((l) => [l.key, l.receivedAt, l.quantity, l.remaining]),
          );
          // The invariant: what FIFO left in the layers is what is on site (the RFID count).
          const left = layers.reduce((sum, l) => sum + l.remaining, 0);
          expect(left).toBe(book.onSite(sku).length);
          expect(book.onSite(sku).map((u) => u.epc)).toEqual(state.onSite.map((u) => u.epc));
          const exits = book.exits({ sku });
          expect(
            exits.map((e) => [e.epc, e.at, e.kind, e.fifoKey, e.actualKey, e.olderOnSite]),
          ).toEqual(
            state.exits.map((e) => [e.epc, e.at, e.kind, e.fifoKey, e.actualKey, e.olderOnSite]),
          );
          expect(exits.map((e) => book.exitCost(e, "average"))).toEqual(
            state.exits.map((e) => e.averageCost),
          );
          expect(book.nextUnitCost(sku)).toEqual(naive.nextUnitCost(sku));
        }
        expect(book.exits().length).toBe(
          SKUS.reduce((n, sku) => n + naive.replay(sku).exits.length, 0),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("stock value at any instant and cost of goods over any range, by both methods", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { book, naive } = build(scenario);
        const instants = scenario.probes.map((p) => BASE + p * 1000);
        for (const method of METHODS) {
          for (const asOfMs of [...instants, Infinity]) {
            const values = book.value(
              asOfMs === Infinity ? undefined : new Date(asOfMs).toISOString(),
              method,
            );
            for (const sku of naive.skus()) {
              const got = values.get(sku);
              expect({
                quantity: got?.quantity,
                value: got?.value,
                actualValue: got?.actualValue,
              }).toEqual(naive.value(sku, asOfMs, method));
            }
          }
          const sorted = [...instants].sort((a, b) => a - b);
          const ranges: [number, number][] = [
            [-Infinity, Infinity],
            [sorted[0] as number, sorted[sorted.length - 1] as number],
            [-Infinity, sorted[0] as number],
          ];
          for (const [fromMs, toMs] of ranges) {
            const cogs = book.cogs(
              {
                ...(fromMs === -Infinity ? {} : { from: new Date(fromMs).toISOString() }),
                ...(toMs === Infinity ? {} : { to: new Date(toMs).toISOString() }),
              },
              method,
            );
            for (const sku of naive.skus()) {
              const got = cogs.get(sku);
              expect({
                quantity: got?.quantity,
                cogs: got?.cogs,
                actualCost: got?.actualCost,
                fifoCost: got?.fifoCost,
              }).toEqual(naive.cogs(sku, fromMs, toMs, method));
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("value by day is the value at each day's end", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { book, naive } = build(scenario);
        for (const method of METHODS) {
          const days = book.valueByDay("2025-12-31", "2026-01-03", method);
          for (const sku of naive.skus()) {
            const expected = [0, 1, 2, 3].map(
              (d) => naive.value(sku, BASE + d * 86_400_000 - 1, method).value,
            );
            expect(days.get(sku)).toEqual(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
