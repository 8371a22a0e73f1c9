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
 * with one of each injected fault, and every figure the API gives compared
 * with the key worked out from the plan alone.
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

    expect(run.report.missed, summary).toEqual([]);
    expect(run.report.falsePositives, summary).toEqual([]);
    expect(run.report.differences, summary).toEqual([]);
    expect(run.report.compared).toBeGreaterThan(15);
  }, 300_000);
});
