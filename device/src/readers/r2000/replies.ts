/**
 * The reader side, for simulators: the reply an R2000 gives to each host command. Inventory
 * commands get no direct reply: the simulator streams `encodeTagRecord` frames and ends the
 * command with `encodeRoundEnd` (or an `encodeResult` error).
 */
import { Cmd, SUCCESS } from "./constants.js";
import { encodeFrame } from "./frame.js";
import type { HostCommand } from "./parser.js";

/** Firmware version 1.0, as a captured reader reports it (`A0 05 FF 72 01 00 E9`). */
export const FIRMWARE_VERSION: readonly number[] = [0x01, 0x00];

/**
 * The success reply to a host command, from the reader at `address`: the version for 0x72,
 * the current value for 0x75 / 0x77, result 0x10 for a set command; undefined for inventory
 * commands (their answer is the stream of tag frames and a summary) and for reset.
 */
export function encodeReplyTo(command: HostCommand, address = 0x01): Uint8Array | undefined {
  switch (command.cmd) {
    case Cmd.REAL_TIME_INVENTORY:
    case Cmd.CUSTOMIZED_SESSION_TARGET_INVENTORY:
    case Cmd.FAST_SWITCH_ANT_INVENTORY:
    case Cmd.RESET:
      return undefined;
    case Cmd.GET_FIRMWARE_VERSION:
      return encodeFrame(command.cmd, FIRMWARE_VERSION, address);
    case Cmd.GET_WORK_ANTENNA:
      return encodeFrame(command.cmd, [0x00], address);
    case Cmd.GET_OUTPUT_POWER:
      return encodeFrame(command.cmd, [30], address);
    default:
      return encodeFrame(command.cmd, [SUCCESS], address);
  }
}
