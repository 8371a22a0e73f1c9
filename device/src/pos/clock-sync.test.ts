import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { type ClockSyncState, ClockSyncWatch, osClockSync } from "./clock-sync.js";

describe("what the OS says of the clock's NTP sync", () => {
  it("synced when systemd-timesyncd's flag file exists, else timedatectl's NTPSynchronized, else unknown", async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-timesync-"));
    const flagFile = join(dir, "synchronized");
    // Booted with systemd: its runtime directory exists.
    const says = (answer: string | undefined) =>
      osClockSync({ flagFile, systemdDir: dir, timedatectl: async () => answer })();
    expect(await says("no\n")).toBe("unsynced");
    expect(await says("yes\n")).toBe("synced");
    // No timedatectl, or no D-Bus to ask it through (a container).
    expect(await says(undefined)).toBe("unknown");
    await writeFile(flagFile, "");
    expect(await says("no\n")).toBe("synced");
  });

  it("is unknown without asking timedatectl when systemd is not PID 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-timesync-"));
    let asked = 0;
    const probe = osClockSync({
      flagFile: join(dir, "synchronized"),
      systemdDir: join(dir, "no-systemd-here"),
      timedatectl: async () => {
        asked++;
        return "no\n";
      },
    });
    expect(await probe()).toBe("unknown");
    expect(asked).toBe(0);
    // The flag file still counts: timesyncd may run under another init.
    await writeFile(join(dir, "synchronized"), "");
    expect(await probe()).toBe("synced");
  });
});

describe("ClockSyncWatch", () => {
  it("asks again at most every recheckMs until synchronised, then no more", async () => {
    const clock = new ManualClock("2026-11-27T10:00:00.000Z");
    const answers: ClockSyncState[] = ["unsynced", "unsynced", "synced"];
    let asked = 0;
    const watch = new ClockSyncWatch(async () => answers[asked++] ?? "unknown", {
      clock,
      recheckMs: 15_000,
    });
    expect(await watch.refresh()).toBe("unsynced");
    expect(watch.current()).toBe("unsynced");
    expect(asked).toBe(1);
    clock.advance(15_000);
    expect(watch.current()).toBe("unsynced"); // answered from the cache; the ask runs behind
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toBe(2);
    clock.advance(15_000);
    watch.current();
    await new Promise((resolve) => setImmediate(resolve));
    expect(watch.current()).toBe("synced");
    clock.advance(60_000);
    watch.current();
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toBe(3);
  });

  it("takes a probe that fails for unknown", async () => {
    const watch = new ClockSyncWatch(async () => {
      throw new Error("spawn timedatectl ENOENT");
    });
    expect(await watch.refresh()).toBe("unknown");
  });
});
