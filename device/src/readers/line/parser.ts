import { BYTE_HEX, CR, emptySkipCounts, HEX_VALUE, LF } from "../bytes.js";
import type { ProtocolDecoder, ReaderMessage, TagReport } from "../types.js";
import { EPC_PREFIX, MAX_LINE_LENGTH, Q_PREFIX, SPACE, TAB } from "./constants.js";
import { gen2Crc, wordHex } from "./frame.js";

/**
 * Incremental line-mode decoder (rules in constants.ts). Counts are per line:
 * "garbage" (non-hex content), "bad length" (digit count not whole words, or over-long),
 * "bad checksum" (PC + EPC + CRC line whose Gen2 CRC fails).
 * The line is kept in a fixed buffer: no allocation per byte.
 */
export class LineDecoder implements ProtocolDecoder {
  readonly skipped = emptySkipCounts();
  readonly #line = new Uint8Array(MAX_LINE_LENGTH);
  readonly #bytes = new Uint8Array(MAX_LINE_LENGTH >> 1);
  #length = 0;
  #overlong = false;

  push(chunk: Uint8Array): ReaderMessage[] {
    const out: ReaderMessage[] = [];
    const line = this.#line;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (b === CR || b === LF) {
        if (this.#overlong) this.#overlong = false;
        else if (this.#length > 0) this.#endLine(out);
        this.#length = 0;
      } else if (this.#overlong) {
        // dropped up to the next line end; counted once when it overflowed
      } else if (this.#length === MAX_LINE_LENGTH) {
        this.skipped["bad length"]++;
        this.#overlong = true;
      } else {
        line[this.#length++] = b;
      }
    }
    return out;
  }

  #endLine(out: ReaderMessage[]): void {
    const line = this.#line;
    let start = 0;
    let end = this.#length;
    while (start < end && isBlank(line[start] as number)) start++;
    while (end > start && isBlank(line[end - 1] as number)) end--;
    if (start === end) return;
    if (end - start >= 4 && hasEpcPrefix(line, start)) {
      start += 4;
      while (start < end && isBlank(line[start] as number)) start++;
    } else if (line[start] === Q_PREFIX) start++;
    const digits = end - start;
    if (digits === 0) return;
    const bytes = this.#bytes;
    for (let i = start; i < end; i += 2) {
      const hi = HEX_VALUE[line[i] as number] as number;
      const lo = i + 1 < end ? (HEX_VALUE[line[i + 1] as number] as number) : 0;
      if (hi < 0 || lo < 0) {
        this.skipped.garbage++;
        return;
      }
      bytes[(i - start) >> 1] = (hi << 4) | lo;
    }
    if ((digits & 3) !== 0) {
      this.skipped["bad length"]++;
      return;
    }
    const n = digits >> 1;
    const pc = ((bytes[0] as number) << 8) | (bytes[1] as number);
    if (n >= 6 && (pc >> 11) * 2 + 4 === n) {
      const crc = ((bytes[n - 2] as number) << 8) | (bytes[n - 1] as number);
      if (gen2Crc(bytes, 0, n - 2) !== crc) {
        this.skipped["bad checksum"]++;
        return;
      }
      out.push({ kind: "tag", tag: tagOf(bytes, 2, n - 2, wordHex(pc)) });
      return;
    }
    out.push({ kind: "tag", tag: tagOf(bytes, 0, n, undefined) });
  }
}

function isBlank(b: number): boolean {
  return b === SPACE || b === TAB;
}

function hasEpcPrefix(line: Uint8Array, at: number): boolean {
  for (let k = 0; k < EPC_PREFIX.length; k++) {
    // upper-case ASCII letters by clearing bit 5; ':' is compared as is
    const c = line[at + k] as number;
    const want = EPC_PREFIX[k] as number;
    if ((want === 0x3a ? c : c & 0xdf) !== want) return false;
  }
  return true;
}

function tagOf(bytes: Uint8Array, from: number, to: number, pc: string | undefined): TagReport {
  let epc = "";
  for (let i = from; i < to; i++) {
    epc += BYTE_HEX[bytes[i] as number] as string;
  }
  return pc === undefined ? { epc, antenna: 1 } : { epc, antenna: 1, pc };
}
