import type { FieldTag } from "./scenario.js";

/** One read the simulated reader is about to report. */
export interface SimRead {
  epc: string;
  antenna: number;
  rssi: number;
  /** When it was read: ms since the reader started reading (its own clock). */
  time: number;
}

/**
 * The tags in front of a simulated reader over time. `due(t, max)` hands out
 * the reads whose time has come, round robin so that a rate cap delays every
 * tag alike instead of starving some.
 */
export class TagField {
  readonly #tags: FieldTag[];
  readonly #next: Float64Array;
  readonly #turn: Uint8Array;
  readonly #cycleMs: number | undefined;
  #cursor = 0;
  #lastLocal = 0;

  constructor(
    tags: FieldTag[],
    private readonly random: () => number,
    loop = false,
  ) {
    this.#tags = tags;
    this.#next = new Float64Array(tags.length);
    this.#turn = new Uint8Array(tags.length);
    // Spread first reads over each tag's period, as real tags do not answer in step.
    tags.forEach((tag, i) => {
      this.#next[i] = tag.from + random() * Math.min(tag.periodMs, 1000);
    });
    this.#cycleMs = loop ? Math.max(...tags.map((t) => t.to)) + 1000 : undefined;
  }

  get size(): number {
    return this.#tags.length;
  }

  /** Reads due at `t` ms, at most `max`, on `antenna` only when given. */
  due(t: number, max: number, antenna?: number): SimRead[] {
    const out: SimRead[] = [];
    const count = this.#tags.length;
    if (count === 0 || max <= 0) return out;
    const local = this.#cycleMs === undefined ? t : t % this.#cycleMs;
    if (local < this.#lastLocal) {
      for (const [i, tag] of this.#tags.entries()) this.#next[i] = tag.from;
    }
    this.#lastLocal = local;
    for (let k = 0; k < count && out.length < max; k++) {
      const i = (this.#cursor + k) % count;
      const tag = this.#tags[i] as FieldTag;
      if (local < tag.from || local >= tag.to) {
        continue;
      }
      if ((this.#next[i] as number) > local) continue;
      if (antenna !== undefined && !tag.antennas.includes(antenna)) continue;
      const turn = this.#turn[i] as number;
      const onAntenna = antenna ?? (tag.antennas[turn % tag.antennas.length] as number);
      this.#turn[i] = (turn + 1) & 0xff;
      this.#next[i] = local + tag.periodMs;
      out.push({
        epc: tag.epc,
        antenna: onAntenna,
        rssi: Math.round(tag.rssi + (this.random() * 6 - 3)),
        time: t,
      });
      this.#cursor = (i + 1) % count;
    }
    return out;
  }
}
