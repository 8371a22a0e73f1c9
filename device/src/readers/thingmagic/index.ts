/**
 * ThingMagic / JADAK Mercury serial protocol (M6e, M6e Nano, Micro, M7E).
 *
 * Host side (what a node uses):
 * - `thingmagic`: the `ReaderProtocol` (decoder, start-up dialogue, stop).
 * - `ThingMagicDecoder`: bytes from the module → `ReaderMessage`s; `flush()` drops an
 *   unfinished frame when the link went quiet.
 * - command builders: `versionCommand`, `setRegionCommand`, `setReadPowerCommand`,
 *   `setGen2Command`, `setAntennaListCommand`, `disableReadFilterCommand`,
 *   `startReadingCommand`, `stopReadingCommand`, `regionCode`.
 *
 * Module side (what a simulator uses):
 * - `ThingMagicHostCommandDecoder` / `createHostCommandDecoder()`: host bytes → `HostCommand`s
 *   (LEN + 5 framing; wake-up runs of 0xFF are skipped).
 * - `encodeReplyTo(command)`: the success reply to any host command; `encodeRefusal`.
 * - `encodeTagRecord(tag)`: a full-metadata streamed tag record (Gen2 tag CRC included).
 * - `encodeKeepAlive()`, `encodeStreamStatus(status)`, `encodeStartAck()`, `encodeStopAck()`.
 * - low level: `encodeCommand`, `encodeReply`, `tmCrc`, `gen2Crc`.
 */
import type { ReaderProtocol } from "../types.js";
import { startup, stop } from "./commands.js";
import { THINGMAGIC_BAUD } from "./constants.js";
import { ThingMagicDecoder, ThingMagicHostCommandDecoder } from "./parser.js";

export {
  disableReadFilterCommand,
  regionCode,
  setAntennaListCommand,
  setGen2Command,
  setReadPowerCommand,
  setRegionCommand,
  startReadingCommand,
  stopReadingCommand,
  versionCommand,
} from "./commands.js";
export {
  Metadata,
  Opcode,
  REGION_CODES,
  STATUS_TEXT,
  Status,
  THINGMAGIC_BAUD,
} from "./constants.js";
export { COMMAND_FRAMING, encodeCommand, encodeReply, REPLY_FRAMING, tmCrc } from "./frame.js";
export {
  type HostCommand,
  statusText,
  ThingMagicDecoder,
  ThingMagicHostCommandDecoder,
} from "./parser.js";
export { encodeTagRecord, gen2Crc, readTagRecord, type TagRecordInput } from "./record.js";
export {
  encodeKeepAlive,
  encodeRefusal,
  encodeReplyTo,
  encodeStartAck,
  encodeStopAck,
  encodeStreamStatus,
  M7E_VERSION_DATA,
} from "./replies.js";

/** A decoder for what the host sends, for a simulated module. */
export const createHostCommandDecoder = (): ThingMagicHostCommandDecoder =>
  new ThingMagicHostCommandDecoder();

export const thingmagic: ReaderProtocol = {
  name: "thingmagic",
  defaultBaud: THINGMAGIC_BAUD,
  createDecoder: () => new ThingMagicDecoder(),
  startup,
  stop,
};
