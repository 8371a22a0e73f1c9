import { describe, expect, it } from "vitest";
import { GATEWAY_CHAIN } from "../ledger/gateway-ledger.js";
import { cleanupAfterEach, tempDir } from "../testing/broker.js";
import { ReorderRuleError, ReorderRules } from "./reorder-rules.js";
import { reorderSite } from "./reorder-testing.js";

const defer = cleanupAfterEach();
const ACTOR = { kind: "token", id: "tok-1" } as const;

async function site() {
  const dir = await tempDir(defer, "comptoir-reorder-rules-");
  const s = reorderSite(dir, "2026-11-22T09:00:00.000Z", [{ sku: "SKU-1", min: 4 }]);
  defer(async () => s.store.close());
  return s;
}

describe("reorder rules", () => {
  it("are the config's until set, then the set given last, kept across a restart and recorded in the ledger", async () => {
    const s = await site();
    expect(s.rules.view()).toMatchObject({
      source: "config",
      setAt: null,
      rules: [{ sku: "SKU-1", min: 4, pack: 1, hysteresis: 1 }],
    });
    s.clock.advance(1000);
    const saved = s.rules.replace(
      [
        {
          sku: "SKU-2",
          zone: "pick-a",
          pack: 6,
          leadTimeDays: 3,
          safetyStock: 2,
          windowDays: 28,
          hysteresis: 1,
        },
      ],
      ACTOR,
      () => true,
    );
    expect(saved).toMatchObject({
      source: "api",
      setAt: "2026-11-22T09:00:01.000Z",
      rules: [{ sku: "SKU-2", zone: "pick-a", pack: 6 }],
    });
    // Another instance over the same store (a restart) with another config seed: the API's set holds.
    const again = new ReorderRules(s.store.db, s.ledger, { seed: [], clock: s.clock });
    expect(again.view()).toEqual(saved);
    const entries = [...s.store.entries(GATEWAY_CHAIN)].filter(
      (entry) => entry.type === "reorder.rules-set",
    );
    expect(entries.map((entry) => entry.data)).toEqual([
      {
        by: ACTOR,
        rules: saved.rules,
        before: {
          source: "config",
          rules: [
            {
              sku: "SKU-1",
              min: 4,
              pack: 1,
              leadTimeDays: 7,
              safetyStock: 0,
              windowDays: 28,
              hysteresis: 1,
            },
          ],
        },
      },
    ]);
    // An empty set is a set: the config's rule does not come back.
    expect(s.rules.replace([], ACTOR, () => true)).toMatchObject({ source: "api", rules: [] });
  });

  it("refuses a rule for a product not in the catalog, with its path, and stores nothing", async () => {
    const s = await site();
    const head = s.ledger.head;
    const rule = {
      sku: "SKU-1",
      pack: 1,
      leadTimeDays: 7,
      safetyStock: 0,
      windowDays: 28,
      hysteresis: 1,
    };
    let refused: unknown;
    try {
      s.rules.replace([rule, { ...rule, sku: "GHOST" }], ACTOR, (sku) => sku === "SKU-1");
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ReorderRuleError);
    expect(refused).toMatchObject({
      path: "rules[1].sku",
      message: expect.stringContaining("no product GHOST"),
    });
    expect(s.rules.view().source).toBe("config");
    expect(s.ledger.head).toEqual(head);
  });
});
