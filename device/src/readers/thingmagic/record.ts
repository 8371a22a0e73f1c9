/**
 * The streamed tag record (opcode 0x22, status 0, response type 0x01): metadata fields in
 * flag-bit order, then the EPC section (bit length, PC, [XPC], EPC, Gen2 tag CRC).
 * Offsets are absolute from the frame's 0xFF, as in reference §1.6.
 */
import { fromHex, toHex } from "../bytes.js";
import type { TagReport } from "../types.js";
import {
  Metadata,
  OPTION_METADATA,
  ResponseType,
  STREAM_SEARCH_FLAGS,
  TAG_PROTOCOL_ATA,
  TAG_PROTOCOL_GEN2,
} from "./constants.js";
import { encodeReply } from "./frame.js";

/** Where a 0x22 frame's response-type byte sits: after the metadata flags when they are present. */
export function responseTypeIndex(data: Uint8Array, pos: number): number {
  return ((data[pos + 5] as number) & OPTION_METADATA) !== 0 ? pos + 10 : pos + 8;
}

/**
 * Reads the tag of a record frame at `pos` whose data ends at `end` (before the CRC).
 * Returns undefined when the record's own lengths do not fit the frame. The Gen2 tag CRC
 * is not re-checked: the frame CRC already covers it and the module only reports good reads.
 */
export function readTagRecord(data: Uint8Array, pos: number, end: number): TagReport | undefined {
  const withFlags = ((data[pos + 5] as number) & OPTION_METADATA) !== 0;
  const flags = withFlags ? ((data[pos + 8] as number) << 8) | (data[pos + 9] as number) : 0;
  let i = responseTypeIndex(data, pos) + 1;
  let rssi: number | undefined;
  let antenna = 1;
  let frequency: number | undefined;
  let readerTime: number | undefined;
  let protocol = TAG_PROTOCOL_GEN2;
  if (flags & Metadata.READ_COUNT) i += 1;
  if (flags & Metadata.RSSI) rssi = ((data[i++] as number) << 24) >> 24;
  if (flags & Metadata.ANTENNA) antenna = (data[i++] as number) >> 4 || 16; // TX port; 0 is 16
  if (flags & Metadata.FREQUENCY) {
    frequency =
      ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number);
    i += 3;
  }
  if (flags & Metadata.TIMESTAMP) {
    readerTime =
      (((data[i] as number) << 24) |
        ((data[i + 1] as number) << 16) |
        ((data[i + 2] as number) << 8) |
        (data[i + 3] as number)) >>>
      0;
    i += 4;
  }
  if (flags & Metadata.PHASE) i += 2;
  if (flags & Metadata.PROTOCOL) protocol = data[i++] as number;
  if (flags & Metadata.DATA) {
    if (i + 2 > end) return undefined;
    const dataBits = ((data[i] as number) << 8) | (data[i + 1] as number);
    i += 2 + ((dataBits + 7) >> 3);
  }
  if (flags & Metadata.GPIO) i += 1;
  if (i + 4 > end) return undefined;
  const bits = ((data[i] as number) << 8) | (data[i + 1] as number);
  const pcAt = i + 2;
  const pcHigh = data[pcAt] as number;
  // XPC_W1 follows the PC when XI (bit 9) is set; XPC_W2 follows when XPC_W1 bit 15 is set.
  let epcAt = pcAt + 2;
  if (pcHigh & 0x02) epcAt += (data[epcAt] as number) & 0x80 ? 4 : 2;
  const recordEnd = pcAt + (bits >> 3);
  const epcEnd = recordEnd - (protocol === TAG_PROTOCOL_ATA ? 0 : 2);
  if ((bits & 7) !== 0 || recordEnd > end || epcEnd < epcAt) return undefined;
  return {
    epc: toHex(data, epcAt, epcEnd),
    antenna,
    rssi,
    frequency,
    readerTime,
    pc: toHex(data, pcAt, pcAt + 2),
  };
}

/** CRC-16/GENIBUS (poly 0x1021, init and final XOR 0xFFFF): the tag's own CRC over PC + EPC. */
export function gen2Crc(data: Uint8Array): number {
  let reg = 0xffff;
  for (const byte of data) {
    reg ^= byte << 8;
    for (let b = 0; b < 8; b++)
      reg = reg & 0x8000 ? ((reg << 1) ^ 0x1021) & 0xffff : (reg << 1) & 0xffff;
  }
  return reg ^ 0xffff;
}

/** A tag as a simulated module reports it; omitted metadata takes plausible values. */
export interface TagRecordInput {
  /** EPC in hex, a whole number of 16-bit words. */
  epc: string;
  antenna?: number;
  rssi?: number;
  frequency?: number;
  readerTime?: number;
  /** PC word in hex; by default the EPC length in words with no other bit set. */
  pc?: string;
  readCount?: number;
  /** Which metadata fields to include (Metadata flags); all nine by default. */
  metadata?: number;
}

/** A full streamed tag-record frame, byte-exact with what an M6e Nano / M7E sends. */
export function encodeTagRecord(tag: TagRecordInput): Uint8Array {
  const epc = fromHex(tag.epc);
  if (epc.length % 2 !== 0) throw new RangeError(`EPC ${tag.epc} is not a whole number of words`);
  const pc = tag.pc === undefined ? (epc.length / 2) << 11 : Number.parseInt(tag.pc, 16);
  const flags = tag.metadata ?? Metadata.ALL;
  const out: number[] = [OPTION_METADATA, STREAM_SEARCH_FLAGS >> 8, STREAM_SEARCH_FLAGS & 0xff];
  out.push(flags >> 8, flags & 0xff, ResponseType.TAG);
  const f = tag.frequency ?? 915_250;
  const t = tag.readerTime ?? 0;
  if (flags & Metadata.READ_COUNT) out.push(tag.readCount ?? 1);
  if (flags & Metadata.RSSI) out.push((tag.rssi ?? -60) & 0xff);
  if (flags & Metadata.ANTENNA)
    out.push((((tag.antenna ?? 1) & 0x0f) << 4) | ((tag.antenna ?? 1) & 0x0f));
  if (flags & Metadata.FREQUENCY) out.push((f >> 16) & 0xff, (f >> 8) & 0xff, f & 0xff);
  if (flags & Metadata.TIMESTAMP)
    out.push((t >>> 24) & 0xff, (t >> 16) & 0xff, (t >> 8) & 0xff, t & 0xff);
  if (flags & Metadata.PHASE) out.push(0, 0);
  if (flags & Metadata.PROTOCOL) out.push(TAG_PROTOCOL_GEN2);
  if (flags & Metadata.DATA) out.push(0, 0);
  if (flags & Metadata.GPIO) out.push(0x0f);
  const pcEpc = new Uint8Array(2 + epc.length);
  pcEpc[0] = pc >> 8;
  pcEpc[1] = pc & 0xff;
  pcEpc.set(epc, 2);
  const bits = (pcEpc.length + 2) * 8;
  const crc = gen2Crc(pcEpc);
  out.push(bits >> 8, bits & 0xff, ...pcEpc, crc >> 8, crc & 0xff);
  return encodeReply(0x22, 0, out);
}
