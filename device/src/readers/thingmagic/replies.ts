/**
 * The module side, for simulators: the reply a ThingMagic module gives to each host command,
 * and the unsolicited frames it streams (keep-alive, alarms). Tag records are in record.ts.
 */
import { fromHex } from "../bytes.js";
import { Opcode, Status, TagOpOption } from "./constants.js";
import { encodeReply } from "./frame.js";
import type { HostCommand } from "./parser.js";

/**
 * Version reply data of a real M7E (reference §1.9): boot 23.01.06.00, hardware 0x38,
 * firmware date 2024-09-13, firmware 02.01.06.08, protocols 0x00000010 (Gen2).
 */
export const M7E_VERSION_DATA: Uint8Array = fromHex("2301060038000201202409130201060800000010");

/** Start acknowledged: 0x2F with data 01 (shape inferred from the stop ack; not captured). */
export const encodeStartAck = (): Uint8Array =>
  encodeReply(Opcode.MULTI_PROTOCOL_TAG_OP, 0, [TagOpOption.START]);
/** Stop finished, sent after the last pending tag record: 0x2F with data 02 (captured). */
export const encodeStopAck = (): Uint8Array =>
  encodeReply(Opcode.MULTI_PROTOCOL_TAG_OP, 0, [TagOpOption.STOP]);
/** What a streaming module sends when a search cycle found nothing (status 0x0400). */
export const encodeKeepAlive = (): Uint8Array =>
  encodeReply(Opcode.READ_TAG_ID_MULTIPLE, Status.NO_TAGS_FOUND);
/** An alarm while streaming, e.g. 0x0504 temperature, 0x0505 high return loss, 0x0601 buffer full. */
export const encodeStreamStatus = (status: number): Uint8Array =>
  encodeReply(Opcode.READ_TAG_ID_MULTIPLE, status);

/**
 * The success reply to a host command, as the module would send it: the version data for
 * 0x03, the start or stop ack for 0x2F, an empty OK for everything else.
 */
export function encodeReplyTo(
  command: HostCommand,
  version: Uint8Array = M7E_VERSION_DATA,
): Uint8Array {
  switch (command.opcode) {
    case Opcode.VERSION:
      return encodeReply(Opcode.VERSION, 0, version);
    case Opcode.MULTI_PROTOCOL_TAG_OP:
      return command.data[2] === TagOpOption.STOP ? encodeStopAck() : encodeStartAck();
    default:
      return encodeReply(command.opcode, 0);
  }
}

/** A refusal: the command's opcode with a non-zero status and no data (e.g. 0x0103 power too high). */
export const encodeRefusal = (command: HostCommand, status: number): Uint8Array =>
  encodeReply(command.opcode, status);
