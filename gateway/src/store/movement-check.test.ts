import { type MovementData, MovementDataSchema } from "@comptoir/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { movementData, plainMovement } from "./movement-check.js";

const typical: MovementData = {
  antennas: [1, 2],
  at: "2026-11-22T10:00:00.000Z",
  epc: "3034257BF7194E4000000A01",
  from: "dock",
  kind: "putaway",
  reader: "door",
  reads: 4,
  rssi: -58,
  sku: "SKU-1",
  to: "shelf-a",
};

/** Each member: values the schema accepts and values it refuses, near its edges. */
const member = {
  epc: fc.constantFrom("3034257BF7194E4000000A01", "ABCDEF01", "abcdef01", "ABC", "", 42, null),
  sku: fc.constantFrom("SKU-1", "x".repeat(64), "x".repeat(65), "", null, 7),
  gtin: fc.constantFrom("09506000134352", "0950600013435", "0950600013435x", 9506000134352),
  kind: fc.constantFrom("receive", "putaway", "ship", "adjust", "steal", "", null),
  from: fc.constantFrom("dock", "shelf-a.1", null, "-dock", "a b", "", "z".repeat(65)),
  to: fc.constantFrom("dock", "shelf_b", null, ".x", "", 3),
  reader: fc.constantFrom("door", "r1", null, "", "door/1"),
  antennas: fc.constantFrom([1], [1, 2, 64], [], [0], [65], [1.5], ["1"], Array(65).fill(1), 1),
  reads: fc.constantFrom(1, 6, 0, -1, 1.5, "6", 2 ** 60, Number.NaN),
  rssi: fc.constantFrom(-58, -128, 20, 21, -129, Number.POSITIVE_INFINITY, "x", null),
  at: fc.constantFrom(
    "2026-11-22T10:00:00.000Z",
    "2026-11-22T10:00:00Z",
    "2026-02-30T10:00:00.000Z",
    "2026-11-22T10:00:00.000+01:00",
    "2026-11-22 10:00:00",
    "",
    0,
  ),
  order: fc.constantFrom("PO-1", "", "o".repeat(64), "o".repeat(65), 1),
  customer: fc.constantFrom("C-1042", "", "c c", null),
  reason: fc.constantFrom("count", "", "r".repeat(200), "r".repeat(201)),
  extra: fc.constantFrom(true, "x"),
};

/**
 * A movement as nodes write them with one to three members set to an edge
 * value or removed: most candidates are valid but for one member, so a check
 * looser than the schema on any member is found.
 */
const candidate = fc
  .array(
    fc.oneof(
      fc
        .constantFrom(...(Object.keys(member) as (keyof typeof member)[]))
        .chain((key) => member[key].map((value) => ({ key, value, drop: false }))),
      fc.constantFrom(...Object.keys(typical)).map((key) => ({ key, value: 0, drop: true })),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((edits) => {
    const value: Record<string, unknown> = { ...typical };
    for (const edit of edits) {
      if (edit.drop) delete value[edit.key];
      else value[edit.key] = edit.value;
    }
    return value;
  });

describe("movement data check", () => {
  it("is never looser than the schema, and movementData gives the schema's verdict", () => {
    fc.assert(
      fc.property(candidate, (value) => {
        const schema = MovementDataSchema.safeParse(value).success;
        if (plainMovement(value)) expect(schema).toBe(true);
        expect(movementData(value) !== undefined).toBe(schema);
      }),
      { numRuns: 2000 },
    );
  });

  it("takes the quick way for movements as nodes write them", () => {
    expect(plainMovement(typical)).toBe(true);
    const { rssi: _, ...noRssi } = typical;
    expect(plainMovement({ ...noRssi, kind: "receive", from: null, to: "dock" })).toBe(true);
    expect(
      plainMovement({ ...typical, kind: "ship", to: null, order: "PO-7", customer: "C-1042" }),
    ).toBe(true);
    expect(plainMovement({ ...typical, sku: null, gtin: "09506000134352" })).toBe(true);
  });

  it("refuses what the schema refuses", () => {
    expect(movementData({ ...typical, extra: 1 })).toBeUndefined();
    expect(movementData({ ...typical, epc: "3034257bf7194e4000000a01" })).toBeUndefined();
    expect(movementData({ ...typical, antennas: [0] })).toBeUndefined();
    const { at: _, ...noTime } = typical;
    expect(movementData(noTime)).toBeUndefined();
    expect(movementData([typical])).toBeUndefined();
    expect(movementData(null)).toBeUndefined();
  });
});
