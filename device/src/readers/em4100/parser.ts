import { CR, emptySkipCounts, HEX_VALUE, LF } from "../bytes.js";
import type { ProtocolDecoder, ReaderMessage, SkipReason } from "../types.js";
import { DATA_BYTES, ETX, FRAME_HEX_CHARS, MAX_LINE_END_BYTES, STX } from "./constants.js";
import { cardIdOf, xorChecksum } from "./frame.js";

/**
 * Incremental EM4100 ASCII decoder for both framings (`STX hex12 ETX` and
 * `STX hex12 CR LF ETX`). Skip counting:
 * - "garbage": each byte outside a frame, and a frame abandoned on a byte that is
 *   neither hex, CR, LF, STX nor ETX;
 * - "bad length": a frame with fewer or more than 12 hex characters, or more than 2 CR/LF;
 * - "bad checksum": the XOR of the 5 data bytes differs from the sent checksum;
 * - "truncated": a new STX arrived before the frame's ETX (the new frame is decoded).
 * State is a few numbers and a 6-byte buffer: no allocation per byte.
 */
export class Em4100Decoder implements ProtocolDecoder {
  readonly skipped = emptySkipCounts();
  #inFrame = false;
  #hexCount = 0;
  #lineEnds = 0;
  readonly #data = new Uint8Array(DATA_BYTES + 1);

  push(chunk: Uint8Array): ReaderMessage[] {
    const out: ReaderMessage[] = [];
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (!this.#inFrame) {
        const start = chunk.indexOf(STX, i);
        const end = start < 0 ? n : start;
        this.skipped.garbage += end - i;
        if (start < 0) break;
        this.#begin();
        i = start + 1;
        continue;
      }
      const b = chunk[i++] as number;
      const v = HEX_VALUE[b] as number;
      if (v >= 0) {
        if (this.#hexCount === FRAME_HEX_CHARS || this.#lineEnds > 0) this.#abandon("bad length");
        else this.#nibble(v);
      } else if (b === ETX) {
        this.#end(out);
      } else if (b === CR || b === LF) {
        if (this.#hexCount < FRAME_HEX_CHARS || this.#lineEnds === MAX_LINE_END_BYTES) {
          this.#abandon("bad length");
        } else this.#lineEnds++;
      } else if (b === STX) {
        this.skipped.truncated++;
        this.#begin();
      } else {
        this.#abandon("garbage");
      }
    }
    return out;
  }

  #begin(): void {
    this.#inFrame = true;
    this.#hexCount = 0;
    this.#lineEnds = 0;
  }

  #abandon(reason: SkipReason): void {
    this.skipped[reason]++;
    this.#inFrame = false;
  }

  #nibble(v: number): void {
    const k = this.#hexCount >> 1;
    const d = this.#data;
    d[k] = (this.#hexCount & 1) === 0 ? v << 4 : (d[k] as number) | v;
    this.#hexCount++;
  }

  #end(out: ReaderMessage[]): void {
    this.#inFrame = false;
    if (this.#hexCount !== FRAME_HEX_CHARS) {
      this.skipped["bad length"]++;
      return;
    }
    const d = this.#data;
    if (xorChecksum(d) !== d[DATA_BYTES]) {
      this.skipped["bad checksum"]++;
      return;
    }
    out.push({ kind: "tag", tag: { epc: cardIdOf(d), antenna: 1 } });
  }
}
