/**
 * Incremental ThingMagic decoders: `ThingMagicDecoder` for what the module sends (the host
 * side), `ThingMagicHostCommandDecoder` for what the host sends (a simulated module).
 */
import { codeText, FrameDecoder, type FrameHandler } from "../bytes.js";
import type { ProtocolDecoder, ReaderMessage, SkipReason } from "../types.js";
import { Opcode, ResponseType, STATUS_TEXT, Status } from "./constants.js";
import { COMMAND_FRAMING, REPLY_FRAMING } from "./frame.js";
import { readTagRecord, responseTypeIndex } from "./record.js";

export function statusText(status: number): string {
  return codeText(status, STATUS_TEXT, 4, "status");
}

/**
 * One checked module frame → message.
 * - 0x22 status 0, response type 0x01: a tag;
 * - 0x22 status 0x0400 (keep-alive: a search cycle found nothing) or response type 0x00
 *   (tag-count summary): "round-end";
 * - 0x22 / 0x2F with any other non-zero status: "error" (reported outside a reply while
 *   streaming: temperature, return loss, buffer full…);
 * - anything else, including the 0x2F start/stop acks: "reply" with a copy of the data.
 */
function onReplyFrame(
  data: Uint8Array,
  pos: number,
  total: number,
  out: ReaderMessage[],
): SkipReason | undefined {
  const command = data[pos + 2] as number;
  const status = ((data[pos + 3] as number) << 8) | (data[pos + 4] as number);
  const end = pos + total - 2;
  const streaming = command === Opcode.READ_TAG_ID_MULTIPLE;
  if (streaming && status === Status.OK && end - pos > 5) {
    const typeAt = responseTypeIndex(data, pos);
    if (typeAt >= end) return "bad length";
    const type = data[typeAt] as number;
    if (type === ResponseType.TAG) {
      const tag = readTagRecord(data, pos, end);
      if (tag === undefined) return "bad length";
      out.push({ kind: "tag", tag });
      return undefined;
    }
    if (type === ResponseType.SUMMARY) {
      out.push({ kind: "round-end", command, payload: data.slice(pos + 5, end) });
      return undefined;
    }
  }
  if (streaming && status === Status.NO_TAGS_FOUND) {
    out.push({ kind: "round-end", command, payload: data.slice(pos + 5, end) });
  } else if (status !== Status.OK && (streaming || command === Opcode.MULTI_PROTOCOL_TAG_OP)) {
    out.push({ kind: "error", command, status, message: statusText(status) });
  } else {
    out.push({ kind: "reply", command, status, payload: data.slice(pos + 5, end) });
  }
  return undefined;
}

/** Decodes the module's byte stream, in any chunking. */
export class ThingMagicDecoder extends FrameDecoder<ReaderMessage> implements ProtocolDecoder {
  constructor() {
    super(REPLY_FRAMING, onReplyFrame);
  }
}

/** A command as the host sent it. */
export interface HostCommand {
  opcode: number;
  data: Uint8Array;
}

const onCommandFrame: FrameHandler<HostCommand> = (data, pos, total, out) => {
  out.push({ opcode: data[pos + 2] as number, data: data.slice(pos + 3, pos + total - 2) });
  return undefined;
};

/** Decodes what the host sends (LEN + 5 framing), for a simulated module. */
export class ThingMagicHostCommandDecoder extends FrameDecoder<HostCommand> {
  constructor() {
    super(COMMAND_FRAMING, onCommandFrame);
  }
}
