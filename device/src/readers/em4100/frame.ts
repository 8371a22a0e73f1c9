import { BYTE_HEX, CR, HEX_VALUE, LF } from "../bytes.js";
import { DATA_BYTES, type Em4100Framing, ETX, STX } from "./constants.js";

/** XOR of the 5 data bytes: the checksum the reader sends as 2 hex characters. */
export function xorChecksum(data: ArrayLike<number>): number {
  let x = 0;
  for (let i = 0; i < DATA_BYTES; i++) x ^= data[i] ?? 0;
  return x;
}

const CARD_ID = /^[0-9A-Fa-f]{10}$/;

/**
 * Encodes one card frame exactly as the reader sends it (for simulators and tests):
 * `cardId` is the 10-hex-digit EM4100 id (version byte + 32-bit serial).
 */
export function encodeCardFrame(cardId: string, framing: Em4100Framing = "rdm6300"): Uint8Array {
  if (!CARD_ID.test(cardId)) {
    throw new RangeError(`EM4100 card id must be 10 hex digits, got ${JSON.stringify(cardId)}`);
  }
  const id = cardId.toUpperCase();
  const data = new Uint8Array(DATA_BYTES);
  for (let i = 0; i < DATA_BYTES; i++) {
    data[i] = (hexAt(id, 2 * i) << 4) | hexAt(id, 2 * i + 1);
  }
  const ascii = `${id}${BYTE_HEX[xorChecksum(data)]}`;
  const out = new Uint8Array(framing === "id12la" ? 16 : 14);
  out[0] = STX;
  for (let i = 0; i < ascii.length; i++) out[1 + i] = ascii.charCodeAt(i);
  if (framing === "id12la") {
    out[13] = CR;
    out[14] = LF;
  }
  out[out.length - 1] = ETX;
  return out;
}

function hexAt(s: string, i: number): number {
  return HEX_VALUE[s.charCodeAt(i)] ?? 0;
}

/** The card id of 5 decoded data bytes, as 10 upper-case hex characters. */
export function cardIdOf(data: Uint8Array): string {
  return `${BYTE_HEX[data[0] ?? 0]}${BYTE_HEX[data[1] ?? 0]}${BYTE_HEX[data[2] ?? 0]}${BYTE_HEX[data[3] ?? 0]}${BYTE_HEX[data[4] ?? 0]}`;
}
