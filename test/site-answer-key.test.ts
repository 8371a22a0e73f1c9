import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AnswerKeyRun, describeRun, runAnswerKey } from "@comptoir/cli/answer-key";
import { KEY_FAULTS } from "@comptoir/cli/answer-key/plan";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The short version of `comptoir sim answer-key` (the long one runs a
 * simulated month): two simulated days through the real path — simulated
 * readers over TCP, `comptoir node` processes, MQTT, the gateway's API —
 * with one of each injected fault, and every figure the API gives (stock,
 * discrepancies, exposure, aged balance, orders, stock value, COGS,
 * margins, FIFO discipline) compared with the key worked out from the plan
 * alone.
 */
const BIN = join(import.meta.dirname, "..", "bin", "comptoir.mjs");
const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe("the site answer key, through the real path", () => {
  it("finds every injected fault, reports nothing else, and every figure equals the key", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-answer-key-"));
    roots.push(root);
    const run: AnswerKeyRun = await runAnswerKey({
      root,
      entry: BIN,
      days: 2,
      itemsPerDay: 10,
      seed: 42,
    });
    const summary = describeRun(run).join("\n");

    // The key is not empty: each fault was made, and each kind it causes is expected.
    expect(run.plan.faults.map((fault) => fault.fault).sort()).toEqual([...KEY_FAULTS].sort());
    expect(new Set(run.key.discrepancies.map((d) => d.kind))).toEqual(
      new Set([
        "shipped_not_invoiced",
        "invoiced_not_shipped",
        "received_not_invoiced",
        "unknown_tag",
        "unknown_product",
        "stock_gap",
      ]),
    );
    expect(run.key.stock.some((row) => row.zone === "picked")).toBe(true);
    expect(run.key.exposure.elan?.unappliedPayments).toBe(-50_000);
    // Orders: every state a plan reaches, one held and one a payment released.
    expect(new Set(Object.values(run.key.orders))).toEqual(
      new Set(["invoiced", "shipped", "released", "held"]),
    );
    expect(run.key.held).toBe(1);
    expect(run.key.exposure.frugal?.openOrders).toBe(15_900);
    // Valuation: the FIFO figures differ from the units' own costs (the FIFO
    // breach), a supplier price above the sale price makes a line under
    // cost, and units billed but never seen leaving are estimated.
    const cogs = Object.values(run.key.cogs);
    expect(cogs.some((row) => row.difference !== 0)).toBe(true);
    expect(run.key.valuationTotal.actualValue).not.toBe(run.key.stockValue);
    expect(run.key.margins.some((row) => row.margin < 0)).toBe(true);
    expect(run.key.margins.filter((row) => row.estimated).length).toBe(2);
    expect(Object.values(run.key.fifoBreaches).some((row) => row.breaches >= 2)).toBe(true);
    expect(run.key.unvalued).toEqual({ unknownProducts: 2, plainTags: 1 });
    // The last delivery's invoice never arrives: its layers stay at the catalog cost.
    expect(run.key.valuationTotal.provisionalQuantity).toBeGreaterThan(0);

    expect(run.report.missed, summary).toEqual([]);
    expect(run.report.falsePositives, summary).toEqual([]);
    expect(run.report.differences, summary).toEqual([]);
    expect(run.report.compared).toBeGreaterThan(40);
    expect(run.report.counts.marginRows).toBe(run.key.margins.length);
  }, 300_000);
});
