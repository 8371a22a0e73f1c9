/**
 * Literal byte vectors from shared/reference/rfid-protocols.md §1.9 (captured from real
 * modules or built and CRC-checked there), with what they mean. Tests, the shared contract
 * suite and simulators check themselves against these, so that an encoder and a decoder
 * cannot agree with each other while both being wrong.
 */
import type { TagReport } from "../types.js";

/** Host → module commands. */
export const COMMAND_VECTORS = {
  getVersion: "FF 00 03 1D 0C",
  setRegionNA: "FF 01 97 01 4B BC",
  setRegionPRC: "FF 01 97 06 4B BB",
  setRegionEU3: "FF 01 97 08 4B B5",
  setRegionNA2: "FF 01 97 0D 4B B0",
  setGen2: "FF 02 93 00 05 51 7D",
  setAntennaList1: "FF 03 91 02 01 01 42 C5",
  disableReadFilter: "FF 03 9A 01 0C 00 A3 5D",
  readPower30: "FF 02 92 0B B8 4A E1",
  readPower5: "FF 02 92 01 F4 40 AD",
  readPower27: "FF 02 92 0A 8C 4B D5",
  startReadAllMetadata: "FF 10 2F 00 00 01 22 00 00 05 07 22 10 00 1B 03 E8 01 FF DD 2B",
  startReadNoMetadata: "FF 10 2F 00 00 01 22 00 00 05 07 22 10 00 1B 03 E8 00 00 DC D4",
  stopRead: "FF 03 2F 00 00 02 5E 86",
  getTagBufferAll: "FF 03 29 01 FF 00 1B 03",
  clearBuffer: "FF 00 2A 1D 25",
  setBaud115200: "FF 04 06 00 01 C2 00 A4 60",
} as const;

/** Module → host frames that are not tag records. */
export const REPLY_VECTORS = {
  versionM7E: "FF 14 03 00 00 23 01 06 00 38 00 02 01 20 24 09 13 02 01 06 08 00 00 00 10 CB 65",
  stopAck: "FF 01 2F 00 00 02 30 E6",
  startAck: "FF 01 2F 00 00 01 30 E5",
  setRegionOk: "FF 00 97 00 00 77 9E",
  setAntennaOk: "FF 00 91 00 00 17 58",
  clearBufferOk: "FF 00 2A 00 00 01 E8",
  keepAlive: "FF 00 22 04 00 84 E0",
} as const;

/** Streamed full-metadata tag records and the tags they carry. */
export const TAG_VECTORS: readonly { hex: string; tag: Required<TagReport> }[] = [
  {
    // Captured by SparkFun: frame CRC 56 1D, tag CRC E9 4A.
    hex: "FF 28 22 00 00 10 00 1B 01 FF 01 01 C4 11 0E 16 40 00 00 01 27 00 00 05 00 00 0F 00 80 30 00 00 00 00 00 00 00 00 00 00 00 15 45 E9 4A 56 1D",
    tag: {
      epc: "000000000000000000001545",
      antenna: 1,
      rssi: -60,
      frequency: 923_200,
      readerTime: 295,
      pc: "3000",
    },
  },
  {
    hex: "FF 28 22 00 00 10 00 1B 01 FF 01 01 C9 11 0D F7 32 00 00 01 F4 00 00 05 00 00 0F 00 80 30 00 E2 80 11 60 60 00 02 05 4C C2 09 6F F3 1D EE D7",
    tag: {
      epc: "E2801160600002054CC2096F",
      antenna: 1,
      rssi: -55,
      frequency: 915_250,
      readerTime: 500,
      pc: "3000",
    },
  },
  {
    hex: "FF 28 22 00 00 10 00 1B 01 FF 01 01 B9 11 0D 3A 54 00 00 04 D2 00 00 05 00 00 0F 00 80 30 00 30 34 02 42 20 1D 88 40 00 9B 1A 2F 62 87 A5 2A",
    tag: {
      epc: "30340242201D8840009B1A2F",
      antenna: 1,
      rssi: -71,
      frequency: 866_900,
      readerTime: 1234,
      pc: "3000",
    },
  },
];

/** "FF 00 03" → bytes. */
export function bytesOf(spacedHex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(spacedHex.replace(/\s+/g, ""), "hex"));
}
