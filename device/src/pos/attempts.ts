/**
 * Wrong supervisor PINs, counted per supervisor id over a sliding window:
 * past `max` failures in `windowMs`, further tries are refused (429) until
 * the oldest failure leaves the window, right PIN or not — otherwise a
 * guesser would simply keep trying. Unknown ids are counted too, so that
 * probing for ids is limited the same way; the map is bounded.
 */
export class PinAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 60_000,
    private readonly maxIds = 1000,
  ) {}

  /** Milliseconds until `id` may try again; 0 when it may try now. */
  blockedFor(id: string, now: number): number {
    const recent = this.recent(id, now);
    if (recent.length < this.max) return 0;
    return (recent[recent.length - this.max] as number) + this.windowMs - now;
  }

  fail(id: string, now: number): number {
    const recent = this.recent(id, now);
    recent.push(now);
    if (!this.failures.has(id) && this.failures.size >= this.maxIds) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(id, recent);
    return recent.length;
  }

  succeed(id: string): void {
    this.failures.delete(id);
  }

  private recent(id: string, now: number): number[] {
    return (this.failures.get(id) ?? []).filter((at) => at > now - this.windowMs);
  }
}
