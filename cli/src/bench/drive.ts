import { setImmediate as yieldToLoop } from "node:timers/promises";

export interface DriveResult {
  count: number;
  perSecond: number;
  /** Milliseconds from the call to the promise resolving, sorted ascending. */
  latencies: Float64Array;
  /** drivePaced only: the p99 of the calls made in each second of the run, in order. */
  p99BySecond?: number[];
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
 *
 * The harness keeps out of the way of what it measures: calls are counted,
 * not kept, and times go into arrays allocated once, because garbage it
 * made would be collected on the measured thread and show as latency.
 */
export async function drivePaced(
  append: () => Promise<unknown>,
  perSecond: number,
  seconds: number,
): Promise<DriveResult> {
  const tickMs = 5;
  // Room for the whole run and a late tick's catch-up.
  const capacity = Math.ceil(perSecond * (seconds + 1));
  const calledAt = new Float64Array(capacity);
  const latency = new Float64Array(capacity).fill(Number.NaN);
  let outstanding = 0;
  let failure: unknown;
  let drained: (() => void) | undefined;
  const settle = () => {
    if (--outstanding === 0) drained?.();
  };
  const failed = (error: unknown) => {
    failure ??= error;
    settle();
  };
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
      const due = Math.min(Math.floor((elapsed / 1000) * perSecond), capacity) - issued;
      for (let i = 0; i < due; i++) {
        const call = issued++;
        calledAt[call] = performance.now();
        outstanding++;
        append().then(() => {
          latency[call] = performance.now() - (calledAt[call] as number);
          settle();
        }, failed);
      }
    }, tickMs);
  });
  if (outstanding > 0) await new Promise<void>((resolve) => (drained = resolve));
  if (failure !== undefined) throw failure;
  const elapsed = (performance.now() - started) / 1000;
  const done = latency.subarray(0, issued);
  const bySecond: number[][] = [];
  for (let call = 0; call < issued; call++) {
    const second = Math.floor(((calledAt[call] as number) - started) / 1000);
    bySecond[second] ??= [];
    bySecond[second].push(done[call] as number);
  }
  const p99 = (values: number[] = []) => {
    const sorted = Float64Array.from(values).sort();
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
  };
  return {
    count: issued,
    perSecond: issued / elapsed,
    latencies: Float64Array.from(done).sort(),
    p99BySecond: Array.from(bySecond, p99),
  };
}
