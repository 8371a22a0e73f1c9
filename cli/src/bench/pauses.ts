import {
  monitorEventLoopDelay,
  type PerformanceEntry,
  PerformanceObserver,
  performance,
} from "node:perf_hooks";

/** How late this thread's event loop ran, and what V8's garbage collector held it for, during a run. */
export interface Pauses {
  /** Milliseconds this thread spent running (not waiting in its event loop). */
  busyMs: number;
  /** Lateness of a 1 ms timer, ms: p99 and worst. */
  loopLateP99: number;
  loopLateMax: number;
  /** Collections that stopped this thread: young generation (scavenges) and the rest. */
  minor: { count: number; totalMs: number; maxMs: number };
  major: { count: number; totalMs: number; maxMs: number };
}

const RESOLUTION_MS = 1;

/**
 * Starts watching; the returned function stops and summarises. What the
 * latency tail of a run is made of: a p99 beside a worst pause of 20 ms
 * with a full collection of 18 ms tells a different story than one beside
 * none.
 */
export function watchPauses(): () => Pauses {
  // Node records each interval between the timer's ticks, not the lateness: the resolution is taken off below.
  const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const minor = { count: 0, totalMs: 0, maxMs: 0 };
  const major = { count: 0, totalMs: 0, maxMs: 0 };
  const count = (entries: PerformanceEntry[]) => {
    for (const entry of entries) {
      // detail.kind: 1 is a scavenge (the young generation), the others mark or compact the old one.
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      const into = kind === 1 ? minor : major;
      into.count++;
      into.totalMs += entry.duration;
      into.maxMs = Math.max(into.maxMs, entry.duration);
    }
  };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  loop.enable();
  const utilization = performance.eventLoopUtilization();
  return () => {
    const { active } = performance.eventLoopUtilization(utilization);
    loop.disable();
    count(observer.takeRecords()); // those not yet delivered
    observer.disconnect();
    const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    return {
      busyMs: active,
      loopLateP99: late(loop.percentile(99)),
      loopLateMax: late(loop.max),
      minor,
      major,
    };
  };
}

export function describePauses(pauses: Pauses): string {
  const gc = (name: string, { count, totalMs, maxMs }: Pauses["minor"]) =>
    `${count} ${name} (${totalMs.toFixed(1)} ms, worst ${maxMs.toFixed(1)})`;
  return `event loop late p99/max ${pauses.loopLateP99.toFixed(1)} / ${pauses.loopLateMax.toFixed(1)} ms; GC ${gc("scavenges", pauses.minor)}, ${gc("full", pauses.major)}`;
}
