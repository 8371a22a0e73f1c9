/** Timers the scheduler arms, injected so that tests drive them with their clock. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** setTimeout's longest delay (about 24.8 days): a longer wait is taken in steps. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export const realTimers: Timers = {
  setTimeout: (run, ms) => {
    const timer = setTimeout(run, ms);
    // A pending run must not keep the process alive on shutdown.
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
