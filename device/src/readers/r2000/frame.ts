/**
 * One R2000 "0xA0" frame, the same in both directions:
 * A0 Len Address Cmd Data Check, Len = bytes after Len, Check = −(sum of all before) & 0xFF.
 */
import type { FrameSpec } from "../bytes.js";
import { BROADCAST, DEFAULT_MAX_LEN, FRAME_OVERHEAD, HEAD, MIN_LEN } from "./constants.js";

/** Two's complement of the 8-bit sum of data[from..to): the Check that follows those bytes. */
export function checksum(data: Uint8Array, from = 0, to = data.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += data[i] as number;
  return -sum & 0xff;
}

/** A complete frame: A0 Len Address Cmd Data Check. */
export function encodeFrame(
  cmd: number,
  data: ArrayLike<number> = [],
  address = BROADCAST,
): Uint8Array {
  const len = data.length + MIN_LEN;
  if (len > 0xff) throw new RangeError("R2000 frame data too long");
  const frame = new Uint8Array(len + FRAME_OVERHEAD);
  frame[0] = HEAD;
  frame[1] = len;
  frame[2] = address;
  frame[3] = cmd;
  frame.set(data, 4);
  frame[len + 1] = checksum(frame, 0, len + 1);
  return frame;
}

/** Framing for `FrameStream`, with the largest Len to accept (see DEFAULT_MAX_LEN). */
export function r2000Framing(maxLen = DEFAULT_MAX_LEN): FrameSpec {
  return {
    start: HEAD,
    headerBytes: 2,
    maxFrame: maxLen + FRAME_OVERHEAD,
    frameLength: (data, pos) => {
      const len = data[pos + 1] as number;
      return len < MIN_LEN || len > maxLen ? -1 : len + FRAME_OVERHEAD;
    },
    // The 8-bit sum of a whole valid frame, Check included, is zero.
    checksumOk: (data, pos, total) => checksum(data, pos, pos + total) === 0,
  };
}
