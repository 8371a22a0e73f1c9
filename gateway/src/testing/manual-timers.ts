import type { ManualClock } from "@comptoir/contracts";
import type { Timers } from "../schedules/timers.js";

/**
 * Timers on a ManualClock, for the scheduler's tests: nothing fires until
 * the test moves the clock, and then each timer fires at its own time, in
 * order, with the clock set to that time.
 */
export class ManualTimers implements Timers {
  private readonly pending = new Map<number, { at: number; run: () => void }>();
  private nextId = 1;

  constructor(private readonly clock: ManualClock) {}

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.clock.now().getTime() + ms, run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Timers armed and not yet fired. */
  get count(): number {
    return this.pending.size;
  }

  /**
   * Moves the clock to `time`, firing the timers due on the way; after each,
   * `settle` is awaited (the scheduler's whenIdle) so that its run ends
   * before time moves on.
   */
  async advanceTo(
    time: string | Date,
    settle: () => Promise<void> = async () => {},
  ): Promise<void> {
    const target = new Date(time).getTime();
    for (;;) {
      let first: [number, { at: number; run: () => void }] | undefined;
      for (const entry of this.pending) {
        if (entry[1].at <= target && (!first || entry[1].at < first[1].at)) first = entry;
      }
      if (!first) break;
      this.pending.delete(first[0]);
      if (first[1].at > this.clock.now().getTime()) this.clock.set(new Date(first[1].at));
      first[1].run();
      await settle();
    }
    if (target > this.clock.now().getTime()) this.clock.set(new Date(target));
  }
}
