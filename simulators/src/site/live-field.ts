import type { SimRead } from "../readers/field.js";
import type { ReadSource } from "../readers/simulated-reader.js";

export interface ShownTag {
  /** The antennas that see it; each read goes to the next one in turn. */
  antennas: number[];
  rssi: number;
  /** How often the tag answers, per antenna turn. */
  periodMs: number;
}

interface Present extends ShownTag {
  next: number;
  turn: number;
}

/**
 * The tags in front of one simulated reader while a simulated site runs:
 * the site shows a tag to some antennas and hides it again as goods move.
 * Times are the site's clock, not the reader's: a reader that reconnects
 * sees the field as it is now.
 */
export class LiveField implements ReadSource {
  readonly #tags = new Map<string, Present>();
  readonly #now: () => number;
  #cursor = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? (() => performance.now());
  }

  show(epc: string, tag: Partial<ShownTag> & Pick<ShownTag, "antennas">): void {
    const shown = { rssi: -55, periodMs: 200, ...tag };
    if (shown.antennas.length === 0) throw new RangeError(`tag ${epc}: no antenna sees it`);
    // A fresh tag answers soon, but not in step with the others.
    this.#tags.set(epc, { ...shown, next: this.#now() + Math.random() * 50, turn: 0 });
  }

  hide(epc: string): void {
    this.#tags.delete(epc);
  }

  has(epc: string): boolean {
    return this.#tags.has(epc);
  }

  get size(): number {
    return this.#tags.size;
  }

  /** The tags now in the field. */
  epcs(): string[] {
    return [...this.#tags.keys()];
  }

  due(_t: number, max: number, antenna?: number): SimRead[] {
    const out: SimRead[] = [];
    const now = this.#now();
    const tags = [...this.#tags.entries()];
    const count = tags.length;
    // From where the last call stopped, so that every tag gets its turn; the
    // start is fixed for the walk (moving it as tags are read skipped tags).
    const start = this.#cursor;
    for (let k = 0; k < count && out.length < max; k++) {
      const i = (start + k) % count;
      const [epc, tag] = tags[i] as [string, Present];
      if (tag.next > now) continue;
      if (antenna !== undefined && !tag.antennas.includes(antenna)) continue;
      const on = antenna ?? (tag.antennas[tag.turn % tag.antennas.length] as number);
      tag.turn = (tag.turn + 1) % 1_000_000;
      tag.next = now + tag.periodMs;
      out.push({ epc, antenna: on, rssi: Math.round(tag.rssi + Math.random() * 6 - 3), time: now });
      this.#cursor = (i + 1) % count;
    }
    return out;
  }
}
