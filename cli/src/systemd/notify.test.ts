import { createLogger, silentLogger } from "@comptoir/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ServiceNotifier } from "./notify.js";
import { watchdogIntervalMs } from "./watchdog.js";

afterEach(() => {
  vi.useRealTimers();
});

/** A notifier whose messages land in `sent`, each after `delivery` resolves. */
function recording(env: NodeJS.ProcessEnv, delivery: () => Promise<void> = async () => {}) {
  const sent: string[][] = [];
  const notifier = new ServiceNotifier({
    env,
    logger: silentLogger,
    pid: 4242,
    send: async (fields) => {
      await delivery();
      sent.push([...fields]);
    },
  });
  return { notifier, sent };
}

const SYSTEMD = { NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "30000000" };

describe("watchdogIntervalMs", () => {
  it("pings at half of WatchdogSec, only for the process systemd named", () => {
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000" }, 1)).toBe(15_000);
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "7" }, 7)).toBe(15_000);
    // Inherited by a child (e.g. a reader tool started from the service): not its watchdog.
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "7" }, 8)).toBe(undefined);
    expect(watchdogIntervalMs({}, 1)).toBe(undefined);
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "soon" }, 1)).toBe(undefined);
  });
});

describe("ServiceNotifier", () => {
  it("sends nothing and starts no timer when not run by systemd (no NOTIFY_SOCKET)", async () => {
    vi.useFakeTimers();
    const { notifier, sent } = recording({ WATCHDOG_USEC: "1000000" });
    expect(notifier.enabled).toBe(false);
    notifier.status("starting");
    notifier.ready("ready");
    expect(vi.getTimerCount()).toBe(0);
    notifier.stopping("stopping");
    await notifier.close();
    expect(sent).toEqual([]);
  });

  it("says READY=1 with its status, pings WATCHDOG=1 every half timeout, then STOPPING=1", async () => {
    vi.useFakeTimers();
    const { notifier, sent } = recording(SYSTEMD);
    notifier.status("starting: verifying the ledger");
    await vi.advanceTimersByTimeAsync(60_000);
    // No pings before READY: systemd watches start-up by TimeoutStartSec.
    expect(sent).toEqual([["STATUS=starting: verifying the ledger"]]);
    notifier.ready("ready; local API at\nhttp://127.0.0.1:8080");
    await vi.advanceTimersByTimeAsync(45_000);
    expect(sent.slice(1)).toEqual([
      ["READY=1", "STATUS=ready; local API at http://127.0.0.1:8080"],
      ["WATCHDOG=1"],
      ["WATCHDOG=1"],
      ["WATCHDOG=1"],
      ["WATCHDOG=1"],
    ]);
    notifier.stopping("stopping (SIGTERM)");
    notifier.status("running; reader dock-1 stopped");
    await vi.advanceTimersByTimeAsync(60_000);
    await notifier.close();
    expect(sent.slice(6)).toEqual([["STOPPING=1", "STATUS=stopping (SIGTERM)"]]);
  });

  it("does not pile up pings while systemd is slow to take one", async () => {
    vi.useFakeTimers();
    let release: () => void = () => {};
    let slow = false;
    const { notifier, sent } = recording(SYSTEMD, () =>
      slow ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve(),
    );
    notifier.ready("ready");
    await vi.advanceTimersByTimeAsync(0);
    slow = true;
    await vi.advanceTimersByTimeAsync(15_000);
    // That ping hangs for 2 minutes: 8 intervals pass, one ping waits.
    await vi.advanceTimersByTimeAsync(120_000);
    slow = false;
    release();
    await vi.advanceTimersByTimeAsync(0);
    await notifier.close();
    expect(sent).toEqual([["READY=1", "STATUS=ready"], ["WATCHDOG=1"], ["WATCHDOG=1"]]);
  });

  it("keeps serving when systemd cannot be told, and says so once, not at every ping", async () => {
    vi.useFakeTimers();
    const warnings: string[] = [];
    const logger = createLogger(
      { level: "warn" },
      {
        write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg),
      },
    );
    const notifier = new ServiceNotifier({
      env: SYSTEMD,
      logger,
      send: () => Promise.reject(new Error("systemd-notify is not installed")),
    });
    notifier.ready("ready");
    await vi.advanceTimersByTimeAsync(60_000);
    await notifier.close();
    expect(warnings).toEqual(["cannot notify systemd: systemd-notify is not installed"]);
  });
});
