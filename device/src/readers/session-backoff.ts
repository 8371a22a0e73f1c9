/** Reopen delays: exponential from `initialMs`, capped at `maxMs`, with ±`jitter` spread. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: the fraction by which a delay is spread at random, so many nodes do not retry in step. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 500,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.1,
};

export class Backoff {
  #attempt = 0;
  constructor(private readonly options: BackoffOptions) {}

  /** The delay before the next attempt; each call doubles it up to the cap. */
  next(): number {
    const { initialMs, maxMs, factor, jitter } = this.options;
    const base = Math.min(maxMs, initialMs * factor ** this.#attempt);
    this.#attempt++;
    const spread = base * jitter * (Math.random() * 2 - 1);
    return Math.max(0, Math.min(maxMs, Math.round(base + spread)));
  }

  get attempts(): number {
    return this.#attempt;
  }

  reset(): void {
    this.#attempt = 0;
  }
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
