import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_PIN_LIMITS, PinAttempts } from "./attempts.js";
import { jsonAttemptsFile } from "./attempts-file.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("wrong PIN attempts", () => {
  it("locks an id out from the 5th wrong PIN for 30 s, doubling with each further one, up to the cap", () => {
    const attempts = new PinAttempts({ ...DEFAULT_PIN_LIMITS, maxLockoutMs: 100_000 });
    for (let i = 0; i < 4; i++) attempts.fail("sup-1", 0);
    expect(attempts.blockedFor("sup-1", 0)).toBeNull();
    attempts.fail("sup-1", 0);
    expect(attempts.blockedFor("sup-1", 0)).toEqual({ ms: 30_000, scope: "id" });
    expect(attempts.blockedFor("sup-2", 0)).toBeNull();
    attempts.fail("sup-1", 30_000);
    expect(attempts.blockedFor("sup-1", 30_000)?.ms).toBe(60_000);
    attempts.fail("sup-1", 90_000);
    attempts.fail("sup-1", 210_000);
    expect(attempts.blockedFor("sup-1", 210_000)?.ms).toBe(100_000);
    attempts.succeed("sup-1");
    expect(attempts.blockedFor("sup-1", 210_000)).toBeNull();
  });

  it("past the node-wide limit every id waits, known or not", () => {
    const attempts = new PinAttempts({
      ...DEFAULT_PIN_LIMITS,
      nodeFailures: 3,
      nodeWindowMs: 60_000,
    });
    for (const id of ["a", "b", "c"]) attempts.fail(id, 0);
    expect(attempts.blockedFor("d", 1_000)).toEqual({ ms: 59_000, scope: "node" });
    expect(attempts.blockedFor("d", 60_000)).toBeNull();
  });

  it("keeps its counters in a file: a new instance (a restarted node) is still locked", async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-pin-"));
    dirs.push(dir);
    const file = join(dir, "pin-attempts.json");
    const first = new PinAttempts(DEFAULT_PIN_LIMITS, jsonAttemptsFile(file, silentLogger));
    for (let i = 0; i < 5; i++) first.fail("sup-1", 0);
    const second = new PinAttempts(DEFAULT_PIN_LIMITS, jsonAttemptsFile(file, silentLogger));
    expect(second.blockedFor("sup-1", 10_000)).toEqual({ ms: 20_000, scope: "id" });
  });
});
