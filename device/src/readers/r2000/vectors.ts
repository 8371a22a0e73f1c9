/**
 * Literal byte vectors from shared/reference/rfid-protocols.md §2.9 (captured, or built and
 * checksum-verified there), with what they mean. Tests, the shared contract suite and
 * simulators check themselves against these.
 */
import type { TagReport } from "../types.js";

/** Host → reader commands. */
export const COMMAND_VECTORS = {
  getFirmwareBroadcast: "A0 03 FF 72 EC",
  inventoryRepeat1Broadcast: "A0 04 FF 89 01 D3",
  inventoryRepeatFFAddress1: "A0 04 01 89 FF D3",
  sessionS1TargetARepeatFF: "A0 06 01 8B 01 00 FF CE",
  sessionS2TargetBRepeat1Broadcast: "A0 06 FF 8B 02 01 01 CC",
  setWorkAntenna1: "A0 04 01 74 00 E7",
  setOutputPower30: "A0 04 01 76 1E C7",
  getFirmware: "A0 03 01 72 EA",
  reset: "A0 03 01 70 EC",
} as const;

/** Reader → host frames that are not tag records. */
export const REPLY_VECTORS = {
  firmware10: "A0 05 FF 72 01 00 E9",
  /** Summary: antenna 0, 32 reads/s, 1 read. */
  summaryCaptured: "A0 0A FF 89 00 00 20 00 00 00 01 AD",
  /** Summary: antenna 0, 120 reads/s, 360 reads. */
  summaryBuilt: "A0 0A 01 89 00 00 78 00 00 01 68 EB",
  /** 0x90 get buffer: 0x38 buffer empty. */
  bufferEmpty: "A0 04 01 90 38 93",
  /** Inventory error: 0x22 antenna missing. */
  antennaMissing: "A0 04 01 89 22 B0",
} as const;

/** Tag frames and the tags they carry (channel index, antenna and RSSI per §2.4). */
export const TAG_VECTORS: readonly { hex: string; channel: number; tag: TagReport }[] = [
  {
    hex: "A0 13 01 89 0C 30 00 30 34 02 42 20 1D 88 40 00 9B 1A 2F 45 B1",
    channel: 3,
    tag: {
      epc: "30340242201D8840009B1A2F",
      antenna: 1,
      rssi: 0x45 - 129,
      frequency: 866_500,
      readerTime: undefined,
      pc: "3000",
    },
  },
  {
    hex: "A0 13 01 8B 51 30 00 E2 80 11 60 60 00 02 05 4C C2 09 6F 3C 44",
    channel: 20,
    tag: {
      epc: "E2801160600002054CC2096F",
      antenna: 2,
      rssi: 0x3c - 129,
      frequency: 908_500,
      readerTime: undefined,
      pc: "3000",
    },
  },
];

/** "A0 03 FF" → bytes. */
export function bytesOf(spacedHex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(spacedHex.replace(/\s+/g, ""), "hex"));
}
