import { describe, expect, it } from "vitest";
import {
  type Counter,
  cleanupsAfterEach,
  SUPERVISOR_PIN,
  setupCounter,
  startCounter,
} from "./testing/index.js";

// Wrong supervisor PINs through the HTTP API of a real counter node: the
// limit cannot be flushed away with junk ids, and a restart does not reset it.

const cleanups = cleanupsAfterEach();

function override(counter: Counter, pin: string, supervisor = "sup-1") {
  return counter.call("POST", "/pos/override", {
    customer: "acme",
    supervisor,
    pin,
    reason: "payment promised today",
    lines: [{ sku: "TABLE", quantity: 3 }],
  });
}

async function lockOut(counter: Counter) {
  for (let i = 0; i < 5; i++) expect((await override(counter, "000000")).status).toBe(403);
  expect((await override(counter, SUPERVISOR_PIN)).status).toBe(429);
}

describe("supervisor PIN limits", () => {
  it("a flood of 20 000 unknown supervisor ids does not clear the real supervisor's lockout", async () => {
    const { counter } = await setupCounter(cleanups);
    await lockOut(counter);
    for (let batch = 0; batch < 400; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => override(counter, "000000", `junk-${batch}-${i}`)),
      );
    }
    // Still locked: the right PIN is refused, nothing sold.
    const after = await override(counter, SUPERVISOR_PIN);
    expect(after.status).toBe(429);
    expect(after.body.error.code).toBe("too_many_attempts");
  }, 120_000);

  it("unknown ids count against a node-wide limit: past it, every PIN check waits", async () => {
    const { counter } = await setupCounter(cleanups, { pinNodeFailures: 3 });
    const answers: number[] = [];
    for (let i = 0; i < 4; i++)
      answers.push((await override(counter, "000000", `who-${i}`)).status);
    expect(answers).toEqual([403, 403, 403, 429]);
    const real = await override(counter, SUPERVISOR_PIN);
    expect(real.status).toBe(429);
    expect(real.body.error.message).toContain("on this node");
  });

  it("a lockout survives a restart of the node, and grows with each further wrong PIN", async () => {
    const { counter, broker } = await setupCounter(cleanups);
    await lockOut(counter);
    const { dataDir, clock } = counter;
    await counter.stop();
    const again = await startCounter(broker.url, { dataDir, clock });
    cleanups.push(() => again.stop());
    const locked = await override(again, SUPERVISOR_PIN);
    expect(locked.status).toBe(429);
    // Past the first lockout a wrong PIN locks for longer than the first time.
    clock.advance(31_000);
    expect((await override(again, "000000")).status).toBe(403);
    const longer = await override(again, SUPERVISOR_PIN);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers.get("retry-after"))).toBeGreaterThan(30);
  });

  it("refuses a 4-digit PIN with a message naming the rule", async () => {
    const { counter } = await setupCounter(cleanups);
    const short = await override(counter, "4821");
    expect(short.status).toBe(400);
    expect(short.body.error.path).toBe("pin");
    expect(short.body.error.message).toContain("6 to 12 digits");
  });
});
