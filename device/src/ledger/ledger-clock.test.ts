import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, generateIdentity, ManualClock } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { Ledger } from "./ledger.js";

const identity = generateIdentity();
const open: Ledger[] = [];

interface LogLine {
  level: number;
  msg: string;
  backMs?: number;
}

function capture() {
  const lines: LogLine[] = [];
  const logger = createLogger(
    { level: "info" },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  const stepsBack = () =>
    lines.filter((line) => line.level === 40 && /stepped back/.test(line.msg));
  return { logger, lines, stepsBack };
}

async function ledgerAt(dir: string, clock: ManualClock, logger = capture().logger) {
  const ledger = await Ledger.open({
    dir,
    chain: "till-1",
    identity,
    groupCommitMs: 1,
    clock,
    logger,
  });
  open.push(ledger);
  return ledger;
}

async function freshDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "comptoir-ledger-clock-")), "ledger");
}

afterEach(async () => {
  for (const ledger of open.splice(0)) await ledger.close().catch(() => {});
});

describe("the ledger's clock when the system clock steps back", () => {
  it("stamps entries with the last entry's time until the wall clock passes it, and warns once per step", async () => {
    const clock = new ManualClock("2026-11-22T09:00:00.000Z");
    const log = capture();
    const ledger = await ledgerAt(await freshDir(), clock, log.logger);
    const first = await ledger.append("movement", { n: 1 });

    clock.set("2026-11-22T08:00:00.000Z"); // NTP (or a reboot without RTC) sets it an hour back
    const held = await ledger.append("movement", { n: 2 });
    clock.advance(1000);
    const stillHeld = await ledger.append("movement", { n: 3 });
    expect(held.ts).toBe(first.ts);
    expect(stillHeld.ts).toBe(first.ts);
    expect(log.stepsBack()).toEqual([expect.objectContaining({ backMs: 3_600_000 })]);

    clock.set("2026-11-22T09:00:05.000Z"); // caught up
    const after = await ledger.append("movement", { n: 4 });
    expect(after.ts).toBe("2026-11-22T09:00:05.000Z");

    clock.set("2026-11-22T09:00:02.000Z"); // a second, smaller step back
    const again = await ledger.append("movement", { n: 5 });
    expect(again.ts).toBe("2026-11-22T09:00:05.000Z");
    expect(log.stepsBack().map((line) => line.backMs)).toEqual([3_600_000, 3000]);
  });

  it("keeps time monotonic across a restart that boots with the clock behind", async () => {
    const dir = await freshDir();
    const clock = new ManualClock("2026-11-22T09:00:00.000Z");
    const before = await ledgerAt(dir, clock);
    await before.append("movement", { n: 1 });
    const last = await before.append("movement", { n: 2 });
    await before.close();
    // The close wrote a checkpoint at 09:00; a Pi without RTC comes back at boot time.
    clock.set("2026-11-22T07:30:00.000Z");
    const log = capture();
    const reopened = await ledgerAt(dir, clock, log.logger);
    const next = await reopened.append("movement", { n: 3 });
    expect(next.seq).toBeGreaterThan(last.seq);
    expect(next.ts).toBe("2026-11-22T09:00:00.000Z");
    expect(log.stepsBack()).toEqual([expect.objectContaining({ backMs: 90 * 60_000 })]);
  });

  it("leaves entries alone when the clock only moves forward", async () => {
    const clock = new ManualClock("2026-11-22T09:00:00.000Z");
    const log = capture();
    const ledger = await ledgerAt(await freshDir(), clock, log.logger);
    const a = await ledger.append("movement", { n: 1 });
    clock.advance(250);
    const b = await ledger.append("movement", { n: 2 });
    expect([a.ts, b.ts]).toEqual(["2026-11-22T09:00:00.000Z", "2026-11-22T09:00:00.250Z"]);
    expect(log.stepsBack()).toEqual([]);
  });
});
