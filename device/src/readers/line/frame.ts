import { BYTE_HEX, fromHex } from "../bytes.js";

/** CRC-16/GENIBUS (poly 0x1021, init 0xFFFF, final XOR 0xFFFF): the Gen2 tag CRC over PC+EPC. */
const CRC_TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 8;
    for (let b = 0; b < 8; b++) r = r & 0x8000 ? ((r << 1) ^ 0x1021) & 0xffff : (r << 1) & 0xffff;
    t[i] = r;
  }
  return t;
})();

export function gen2Crc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let reg = 0xffff;
  for (let i = start; i < end; i++) {
    reg = ((reg << 8) & 0xffff) ^ (CRC_TABLE[((reg >> 8) ^ (bytes[i] as number)) & 0xff] as number);
  }
  return reg ^ 0xffff;
}

export interface LineOptions {
  /** Line end; CR LF by default. */
  terminator?: "\r\n" | "\n" | "\r";
  /** Print PC + EPC + Gen2 CRC (as `Q`-style modules do) instead of the EPC alone. */
  withPcAndCrc?: boolean;
  /** Text before the hex, e.g. "EPC:" or "Q". */
  prefix?: string;
  lowerCase?: boolean;
}

const EPC_HEX = /^(?:[0-9A-Fa-f]{4}){1,31}$/;

/** Encodes one reader line for an EPC (whole 16-bit words, at most 496 bits) — for simulators and tests. */
export function encodeEpcLine(epc: string, options: LineOptions = {}): Uint8Array {
  if (!EPC_HEX.test(epc)) {
    throw new RangeError(
      `EPC must be 4 to 124 hex digits in whole words, got ${JSON.stringify(epc)}`,
    );
  }
  let hex = epc.toUpperCase();
  if (options.withPcAndCrc) {
    const pc = (hex.length / 4) << 11;
    const body = fromHex(wordHex(pc) + hex);
    hex = wordHex(pc) + hex + wordHex(gen2Crc(body));
  }
  if (options.lowerCase) hex = hex.toLowerCase();
  return new TextEncoder().encode(`${options.prefix ?? ""}${hex}${options.terminator ?? "\r\n"}`);
}

export function wordHex(word: number): string {
  return (BYTE_HEX[(word >> 8) & 255] as string) + (BYTE_HEX[word & 255] as string);
}
