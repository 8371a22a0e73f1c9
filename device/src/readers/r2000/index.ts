/**
 * Impinj R2000-module "0xA0" serial protocol (many 1/4/8-port UHF readers, serial or TCP).
 *
 * Host side (what a node uses):
 * - `r2000`: the `ReaderProtocol` (decoder, start-up dialogue, `continueAfter` for the
 *   0x89 loop; no `stop`: 0x89 ends by itself once the host stops re-sending it).
 * - `R2000Decoder`: bytes from the reader → `ReaderMessage`s (`new R2000Decoder({ maxLen })`
 *   to accept frames longer than inventory traffic); `flush()` drops an unfinished frame.
 * - command builders: `setWorkAntennaCommand`, `setOutputPowerCommand`,
 *   `realTimeInventoryCommand`, `sessionInventoryCommand`, `getFirmwareVersionCommand`,
 *   `resetCommand`.
 *
 * Reader side (what a simulator uses):
 * - `R2000HostCommandDecoder` / `createHostCommandDecoder()`: host bytes → `HostCommand`s.
 * - `encodeReplyTo(command, address)`: the reply to a host command (undefined for inventory).
 * - `encodeTagRecord(tag, { address, cmd })`, `encodeRoundEnd(summary, …)`,
 *   `encodeResult(cmd, code, address)` (set-command result or inventory error).
 * - low level: `encodeFrame`, `checksum`, `channelKhz`.
 */
import type { ReaderProtocol } from "../types.js";
import { continueAfter, startup } from "./commands.js";
import { R2000_BAUD } from "./constants.js";
import { R2000Decoder, type R2000DecoderOptions, R2000HostCommandDecoder } from "./parser.js";

export {
  continueAfter,
  getFirmwareVersionCommand,
  INVENTORY_REPEAT,
  realTimeInventoryCommand,
  resetCommand,
  sessionInventoryCommand,
  setOutputPowerCommand,
  setWorkAntennaCommand,
} from "./commands.js";
export { Cmd, channelKhz, ERROR_TEXT, ErrorCode, R2000_BAUD, SUCCESS } from "./constants.js";
export { checksum, encodeFrame, r2000Framing } from "./frame.js";
export {
  errorText,
  type HostCommand,
  R2000Decoder,
  type R2000DecoderOptions,
  R2000HostCommandDecoder,
} from "./parser.js";
export {
  encodeResult,
  encodeRoundEnd,
  encodeTagRecord,
  type FrameOptions,
  readTagFrame,
  type TagFrameInput,
} from "./record.js";
export { encodeReplyTo, FIRMWARE_VERSION } from "./replies.js";

/** A decoder for what the host sends, for a simulated reader. */
export const createHostCommandDecoder = (options?: R2000DecoderOptions): R2000HostCommandDecoder =>
  new R2000HostCommandDecoder(options);

export const r2000: ReaderProtocol = {
  name: "r2000",
  defaultBaud: R2000_BAUD,
  createDecoder: () => new R2000Decoder(),
  startup,
  continueAfter,
};
