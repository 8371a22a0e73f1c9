/**
 * Byte helpers shared by the reader protocols: hex in both directions (the
 * text readers, EM4100 and line mode, parse ASCII hex with `HEX_VALUE`), and
 * `FrameStream` / `FrameDecoder`, the incremental, checksum-aware framer the
 * binary protocols (ThingMagic, R2000) run on.
 */
import type { SkipReason } from "./types.js";

/** Byte → its two upper-case hex characters. */
export const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  b.toString(16).toUpperCase().padStart(2, "0"),
);

/** The same pairs as ASCII codes, at 2·b and 2·b + 1: what `toHex` copies without strings. */
const HEX_CODES = Uint8Array.from(BYTE_HEX.join(""), (char) => char.charCodeAt(0));
/** Scratch for `toHex`: one native latin1 decode instead of a string per concatenated pair. */
let scratch = Buffer.alloc(512);

/** Upper-case hex of `data[from..to)`. EPCs are decoded a million times a second: no per-byte strings. */
export function toHex(data: Uint8Array, from = 0, to = data.length): string {
  const n = 2 * (to - from);
  if (n > scratch.length) scratch = Buffer.alloc(n);
  const out = scratch;
  let j = 0;
  for (let i = from; i < to; i++) {
    const b = 2 * (data[i] as number);
    out[j++] = HEX_CODES[b] as number;
    out[j++] = HEX_CODES[b + 1] as number;
  }
  return out.toString("latin1", 0, j);
}

/** The line-end bytes of the text protocols (EM4100's ID-12LA framing, line mode). */
export const CR = 0x0d;
export const LF = 0x0a;

/** ASCII byte → hex digit value, or -1. Upper and lower case are accepted. */
export const HEX_VALUE: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) table[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    table[0x41 + i] = 10 + i;
    table[0x61 + i] = 10 + i;
  }
  return table;
})();

/**
 * A reader's result code as a person reads it: its text from the protocol's table and the
 * code in hex (`antenna missing (0x22)`), or `<unknown> 0x..` for a code the table lacks.
 */
export function codeText(
  code: number,
  texts: Readonly<Record<number, string>>,
  hexDigits: number,
  unknown: string,
): string {
  const hex = `0x${code.toString(16).padStart(hexDigits, "0")}`;
  const text = texts[code];
  return text === undefined ? `${unknown} ${hex}` : `${text} (${hex})`;
}

/** Bytes of a hex string (either case, no separators); throws on odd length or a non-hex character. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) {
    throw new Error(`not a whole number of hex bytes: "${hex}" — expected pairs of 0-9/A-F`);
  }
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/** What a protocol tells `FrameStream` about its framing. */
export interface FrameSpec {
  /** The start-of-frame byte. */
  readonly start: number;
  /** Bytes needed from the start byte on before `frameLength` can be asked. */
  readonly headerBytes: number;
  /** Largest possible frame; bounds the carry buffer. */
  readonly maxFrame: number;
  /** Total length of the frame starting at `pos`, or -1 when its length field is impossible. */
  frameLength(data: Uint8Array, pos: number): number;
  /** Whether the complete frame `data[pos..pos+total)` carries a correct checksum. */
  checksumOk(data: Uint8Array, pos: number, total: number): boolean;
}

/**
 * Turns one checked frame into zero or more items pushed on `out`; returns a skip reason
 * when the frame, though intact, cannot be used. `data` is reused afterwards: copy what you keep.
 */
export type FrameHandler<T> = (
  data: Uint8Array,
  pos: number,
  total: number,
  out: T[],
) => SkipReason | undefined;

export function emptySkipCounts(): Record<SkipReason, number> {
  return { garbage: 0, "bad checksum": 0, "bad length": 0, truncated: 0, "unknown frame": 0 };
}

/**
 * Incremental framer: any chunking of a stream yields the same frames. Bytes before a start
 * byte are "garbage" (counted in bytes); a candidate with an impossible length or a wrong
 * checksum is counted once (per candidate) and only its start byte is dropped, so a false
 * header inside data or garbage never swallows the real frame that follows (reference §9.4).
 * A bad-checksum candidate is re-counted as "truncated" when a valid frame turns out to start
 * inside it: that is what a frame cut short by a glitch looks like from here.
 *
 * Memory is bounded: between pushes at most one unfinished frame (< maxFrame bytes) is kept,
 * in a buffer allocated once. A large chunk is decoded in place, never copied whole.
 */
export class FrameStream<T> {
  readonly skipped = emptySkipCounts();
  readonly #spec: FrameSpec;
  readonly #onFrame: FrameHandler<T>;
  readonly #carry: Uint8Array;
  #carryLen = 0;
  /** Stream offset of carry[0], or of the next chunk's first byte when the carry is empty. */
  #base = 0;
  /** Stream offsets of the last bad-checksum candidate, for the "truncated" re-count. */
  #suspectStart = -1;
  #suspectEnd = -1;

  constructor(spec: FrameSpec, onFrame: FrameHandler<T>) {
    this.#spec = spec;
    this.#onFrame = onFrame;
    // Twice the largest frame: topping up a pending frame always completes or refutes it.
    this.#carry = new Uint8Array(2 * spec.maxFrame);
  }

  push(chunk: Uint8Array): T[] {
    const out: T[] = [];
    if (this.#carryLen === 0) {
      this.#keep(chunk, this.#scan(chunk, 0, chunk.length, out));
      return out;
    }
    const carry = this.#carry;
    const held = this.#carryLen;
    const take = Math.min(chunk.length, carry.length - held);
    carry.set(take === chunk.length ? chunk : chunk.subarray(0, take), held);
    const pos = this.#scan(carry, 0, held + take, out);
    if (take === chunk.length) {
      carry.copyWithin(0, pos, held + take);
      this.#carryLen = held + take - pos;
      this.#base += pos;
      return out;
    }
    // take >= maxFrame, so every frame that began in the carry is complete or refuted
    // (pos >= held): continue in the chunk itself.
    this.#carryLen = 0;
    this.#base += held;
    this.#keep(chunk, this.#scan(chunk, pos - held, chunk.length, out));
    return out;
  }

  /**
   * The link went quiet or closed: an unfinished frame will never complete. Counts it as
   * "truncated", drops its start byte and decodes whatever complete frames follow it.
   */
  flush(): T[] {
    const out: T[] = [];
    while (this.#carryLen > 0) {
      this.skipped.truncated++;
      const held = this.#carryLen;
      const pos = this.#scan(this.#carry, 1, held, out);
      this.#carry.copyWithin(0, pos, held);
      this.#carryLen = held - pos;
      this.#base += pos;
    }
    return out;
  }

  /** Bytes held for an unfinished frame. */
  get pending(): number {
    return this.#carryLen;
  }

  #keep(chunk: Uint8Array, pos: number): void {
    const rest = chunk.length - pos;
    if (rest > 0) this.#carry.set(chunk.subarray(pos), 0);
    this.#carryLen = rest;
    this.#base += pos;
  }

  /** Decodes the frames in data[pos..end); returns where the unfinished tail begins. */
  #scan(data: Uint8Array, pos: number, end: number, out: T[]): number {
    const spec = this.#spec;
    const start = spec.start;
    const skipped = this.skipped;
    while (pos < end) {
      if (data[pos] !== start) {
        let next = data.indexOf(start, pos);
        if (next < 0 || next > end) next = end;
        skipped.garbage += next - pos;
        pos = next;
        continue;
      }
      if (end - pos < spec.headerBytes) break;
      const total = spec.frameLength(data, pos);
      if (total < 0 || total > spec.maxFrame) {
        skipped["bad length"]++;
        pos++;
        continue;
      }
      if (end - pos < total) break;
      const at = this.#base + pos;
      if (!spec.checksumOk(data, pos, total)) {
        skipped["bad checksum"]++;
        // A false header inside an open suspect (a byte of its data) widens it, not replaces it.
        if (at >= this.#suspectEnd) this.#suspectStart = at;
        this.#suspectEnd = Math.max(this.#suspectEnd, at + total);
        pos++;
        continue;
      }
      if (at < this.#suspectEnd && at > this.#suspectStart) {
        skipped["bad checksum"]--;
        skipped.truncated++;
        this.#suspectEnd = -1;
      }
      const reason = this.#onFrame(data, pos, total, out);
      if (reason !== undefined) skipped[reason]++;
      pos += total;
    }
    return pos;
  }
}

/**
 * A protocol decoder over one framing: the reader's side (`ProtocolDecoder`) and the
 * simulated reader's side (host commands) are both this, with their own frame handler.
 * Only the counts are shown, read-only; the framer's state stays inside.
 */
export class FrameDecoder<T> {
  readonly #stream: FrameStream<T>;

  constructor(spec: FrameSpec, onFrame: FrameHandler<T>) {
    this.#stream = new FrameStream(spec, onFrame);
  }

  get skipped(): Readonly<Record<SkipReason, number>> {
    return this.#stream.skipped;
  }

  push(chunk: Uint8Array): T[] {
    return this.#stream.push(chunk);
  }

  /** The link went quiet: give up on an unfinished frame (counted "truncated"). */
  flush(): T[] {
    return this.#stream.flush();
  }
}
