/**
 * The frames an R2000 streams during an inventory (0x89 / 0x8B): tag records
 * (FreqAnt, PC, EPC, RSSI [, phase]), the end-of-command summary and the error frame.
 */
import { fromHex, toHex } from "../bytes.js";
import type { TagReport } from "../types.js";
import { Cmd, channelKhz, RSSI_OFFSET, SUCCESS, TAG_LEN_BASE } from "./constants.js";
import { encodeFrame } from "./frame.js";

/**
 * The tag of a tag frame at `pos` (Len odd). FreqAnt: bits 7–2 channel, 1–0 antenna − 1;
 * on 8-port readers RSSI bit 7 adds 4 to the antenna (raw RSSI ≤ 127, so it is free on
 * 4-port readers too). The EPC is Len − 7 bytes, or Len − 9 when the PC says so and the
 * firmware appended 2 phase bytes.
 */
export function readTagFrame(data: Uint8Array, pos: number, total: number): TagReport {
  const len = total - 2;
  const freqAnt = data[pos + 4] as number;
  const epcAt = pos + 7;
  const pcWords = (data[pos + 5] as number) >> 3;
  let epcBytes = len - TAG_LEN_BASE;
  if (epcBytes !== 2 * pcWords && epcBytes - 2 === 2 * pcWords) epcBytes -= 2;
  const raw = data[epcAt + epcBytes] as number;
  return {
    epc: toHex(data, epcAt, epcAt + epcBytes),
    antenna: (freqAnt & 0x03) + 1 + (raw & 0x80 ? 4 : 0),
    rssi: (raw & 0x7f) - RSSI_OFFSET,
    frequency: channelKhz(freqAnt >> 2),
    readerTime: undefined,
    pc: toHex(data, pos + 5, pos + 7),
  };
}

/** A tag as a simulated reader reports it. */
export interface TagFrameInput {
  /** EPC in hex, a whole number of 16-bit words. */
  epc: string;
  /** 1–8; 5–8 are flagged in the RSSI byte's bit 7 as 8-port readers do. */
  antenna?: number;
  /** dBm; sent as dBm + 129 in 7 bits. */
  rssi?: number;
  /** Channel index 0–63 (see `channelKhz`). */
  channel?: number;
  /** PC word in hex; by default the EPC length in words. */
  pc?: string;
}

export interface FrameOptions {
  /** The reader's own address (replies carry it even to broadcast commands); 0x01 by default. */
  address?: number;
  /** 0x89 (default) or 0x8B: the inventory command being answered. */
  cmd?: number;
}

export function encodeTagRecord(tag: TagFrameInput, options: FrameOptions = {}): Uint8Array {
  const epc = fromHex(tag.epc);
  if (epc.length % 2 !== 0) throw new RangeError(`EPC ${tag.epc} is not a whole number of words`);
  const pc = tag.pc === undefined ? (epc.length / 2) << 11 : Number.parseInt(tag.pc, 16);
  const ant = (tag.antenna ?? 1) - 1;
  const raw = Math.max(0, Math.min(127, Math.round((tag.rssi ?? -60) + RSSI_OFFSET)));
  const freqAnt = (((tag.channel ?? 0) & 0x3f) << 2) | (ant & 0x03);
  const data = [freqAnt, pc >> 8, pc & 0xff, ...epc, raw | (ant & 0x04 ? 0x80 : 0)];
  return encodeFrame(options.cmd ?? Cmd.REAL_TIME_INVENTORY, data, options.address ?? 0x01);
}

/** The end-of-command summary: antenna (1-based here, 0-based on the wire), reads/s, total reads. */
export function encodeRoundEnd(
  summary: { antenna?: number; readRate: number; totalRead: number },
  options: FrameOptions = {},
): Uint8Array {
  const { readRate: r, totalRead: t } = summary;
  const data = [(summary.antenna ?? 1) - 1, (r >> 8) & 0xff, r & 0xff];
  data.push((t >>> 24) & 0xff, (t >> 16) & 0xff, (t >> 8) & 0xff, t & 0xff);
  return encodeFrame(options.cmd ?? Cmd.REAL_TIME_INVENTORY, data, options.address ?? 0x01);
}

/** A one-byte result frame: an inventory error, or the answer to a set command (0x10 = success). */
export function encodeResult(cmd: number, code: number = SUCCESS, address = 0x01): Uint8Array {
  return encodeFrame(cmd, [code], address);
}
