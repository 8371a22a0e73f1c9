import { describe, expect, it } from "vitest";
import { sgtin96 } from "../readers/sgtin.js";
import { LiveField } from "./live-field.js";

describe("live field", () => {
  it("gives every tag its turn when an R2000 asks one antenna at a time", () => {
    let now = 0;
    const field = new LiveField({ now: () => now });
    const epcs = Array.from({ length: 110 }, (_, i) => sgtin96("03760123400053", i + 1));
    epcs.forEach((epc, i) => {
      field.show(epc, { antennas: [i < 40 ? 1 : 2], periodMs: 400 });
    });
    const reads = new Map<string, number>();
    for (let round = 0, antenna = 1; round < 400; round++, antenna = 3 - antenna) {
      const due = field.due(now, 256, antenna);
      for (const read of due) {
        expect(read.antenna).toBe(antenna);
        reads.set(read.epc, (reads.get(read.epc) ?? 0) + 1);
      }
      now += 25;
    }
    // 10 s at one read per 400 ms: about 25 reads each, none left out (36 of 110 were read before).
    expect(reads.size).toBe(110);
    expect(Math.min(...reads.values())).toBeGreaterThanOrEqual(20);
  });
});
