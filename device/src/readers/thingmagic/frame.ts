/**
 * One ThingMagic frame: the CRC, encoding both directions, and the two framings
 * (host commands LEN + 5 bytes, module replies LEN + 7) for `FrameStream`.
 */
import type { FrameSpec } from "../bytes.js";
import { COMMAND_OVERHEAD, MAX_FRAME, REPLY_OVERHEAD, SOF } from "./constants.js";

/**
 * Mercury's `tm_crc`: poly 0x1021, init 0xFFFF, no reflection, no final XOR, bits shifted
 * *into* the register (not CRC-16/CCITT-FALSE; check value over "123456789" is 0xA69D).
 * Mercury works a nibble at a time; two nibble steps fold into this byte table, which is
 * the same linear map applied once per byte.
 */
const NIBBLE: readonly number[] = Array.from({ length: 16 }, (_, k) => {
  let r = 0;
  for (let b = 0; b < 4; b++) if (k & (1 << b)) r ^= 0x1021 << b;
  return r & 0xffff;
});

function nibbleStep(reg: number, nibble: number): number {
  return (((reg << 4) | nibble) & 0xffff) ^ (NIBBLE[reg >> 12] as number);
}

const BYTE_TABLE = Uint16Array.from({ length: 256 }, (_, k) =>
  nibbleStep(nibbleStep(k << 8, 0), 0),
);

/** ThingMagic CRC of data[from..to). */
export function tmCrc(data: Uint8Array, from = 0, to = data.length): number {
  let reg = 0xffff;
  for (let i = from; i < to; i++) {
    reg = (((reg << 8) | (data[i] as number)) & 0xffff) ^ (BYTE_TABLE[reg >> 8] as number);
  }
  return reg;
}

function withCrc(frame: Uint8Array): Uint8Array {
  const end = frame.length - 2;
  const crc = tmCrc(frame, 1, end); // the SOF is not covered
  frame[end] = crc >> 8;
  frame[end + 1] = crc & 0xff;
  return frame;
}

/** A host → module command frame: FF LEN opcode data CRC. */
export function encodeCommand(opcode: number, data: ArrayLike<number> = []): Uint8Array {
  if (data.length + COMMAND_OVERHEAD > MAX_FRAME) throw new RangeError("command data too long");
  const frame = new Uint8Array(data.length + COMMAND_OVERHEAD);
  frame[0] = SOF;
  frame[1] = data.length;
  frame[2] = opcode;
  frame.set(data, 3);
  return withCrc(frame);
}

/** A module → host frame: FF LEN opcode status(2, big-endian) data CRC. */
export function encodeReply(opcode: number, status = 0, data: ArrayLike<number> = []): Uint8Array {
  if (data.length + REPLY_OVERHEAD > MAX_FRAME) throw new RangeError("reply data too long");
  const frame = new Uint8Array(data.length + REPLY_OVERHEAD);
  frame[0] = SOF;
  frame[1] = data.length;
  frame[2] = opcode;
  frame[3] = status >> 8;
  frame[4] = status & 0xff;
  frame.set(data, 5);
  return withCrc(frame);
}

function crcOk(data: Uint8Array, pos: number, total: number): boolean {
  const end = pos + total - 2;
  return tmCrc(data, pos + 1, end) === (((data[end] as number) << 8) | (data[end + 1] as number));
}

function spec(overhead: number): FrameSpec {
  return {
    start: SOF,
    headerBytes: 2,
    maxFrame: MAX_FRAME,
    frameLength: (data, pos) => {
      const total = (data[pos + 1] as number) + overhead;
      return total > MAX_FRAME ? -1 : total;
    },
    checksumOk: crcOk,
  };
}

/** Framing of what the module sends (LEN + 7). */
export const REPLY_FRAMING: FrameSpec = spec(REPLY_OVERHEAD);
/** Framing of what the host sends (LEN + 5): for simulators. Runs of 0xFF wake-up filler are skipped. */
export const COMMAND_FRAMING: FrameSpec = spec(COMMAND_OVERHEAD);
