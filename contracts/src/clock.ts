/**
 * Time comes from an injected clock so that tests control it. Times travel
 * as ISO 8601 UTC strings; a node's clock may be wrong (a Raspberry Pi has
 * no real-time clock), so order within a chain is by seq, never by time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = "2026-01-01T00:00:00.000Z") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(time: Date | string): void {
    this.current = new Date(time).getTime();
  }
}

export function isoUtc(date: Date): string {
  return date.toISOString();
}

/** Parses an ISO 8601 time that states its offset; refuses local times, which are ambiguous. */
export function parseIsoTime(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new RangeError(
      `"${text}" is not an ISO 8601 time with an offset, such as 2026-11-22T10:00:00Z`,
    );
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new RangeError(`"${text}" is not a valid time`);
  return date;
}
