import { setImmediate as yieldToLoop } from "node:timers/promises";

export interface DriveResult {
  count: number;
  perSecond: number;
  /** Milliseconds from the call to the promise resolving, sorted ascending. */
  latencies: Float64Array;
}

/**
 * Calls `append` as fast as the event loop allows for `seconds`, keeping at
 * most `maxOutstanding` calls unresolved, and times each call to durability.
 */
export async function drive(
  append: () => Promise<unknown>,
  seconds: number,
  options: { burst?: number; maxOutstanding?: number } = {},
): Promise<DriveResult> {
  const burst = options.burst ?? 500;
  const maxOutstanding = options.maxOutstanding ?? 50_000;
  const latencies: number[] = [];
  let outstanding = 0;
  let wake: (() => void) | undefined;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < burst; i++) {
      const start = performance.now();
      outstanding++;
      void append().then(() => {
        latencies.push(performance.now() - start);
        outstanding--;
        if (wake && outstanding <= maxOutstanding / 2) {
          wake();
          wake = undefined;
        }
      });
    }
    if (outstanding > maxOutstanding) await new Promise<void>((resolve) => (wake = resolve));
    else await yieldToLoop();
  }
  while (outstanding > 0) await new Promise<void>((resolve) => (wake = resolve));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return { count: latencies.length, perSecond: latencies.length / elapsed, latencies: sorted };
}

/** Awaits each call before the next: the rate of strictly one-at-a-time durable writes. */
export async function driveSerially(
  append: () => Promise<unknown>,
  seconds: number,
): Promise<number> {
  let count = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    await append();
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

/**
 * Offers a steady load of `perSecond` calls (in 5 ms ticks) for `seconds`
 * and times each call to durability: latency at a given load, not at
 * saturation, where any queue grows without bound.
 */
export async function drivePaced(
  append: () => Promise<unknown>,
  perSecond: number,
  seconds: number,
): Promise<DriveResult> {
  const tickMs = 5;
  const latencies: number[] = [];
  const pending: Promise<unknown>[] = [];
  const started = performance.now();
  let issued = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      // Catch up to the schedule if a tick came late, so the offered rate holds.
      const due = Math.floor((elapsed / 1000) * perSecond) - issued;
      for (let i = 0; i < due; i++) {
        const start = performance.now();
        pending.push(append().then(() => latencies.push(performance.now() - start)));
      }
      issued += Math.max(0, due);
    }, tickMs);
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  return {
    count: latencies.length,
    perSecond: latencies.length / elapsed,
    latencies: Float64Array.from(latencies).sort(),
  };
}
