/**
 * Incremental R2000 decoders: `R2000Decoder` for what the reader sends (the host side),
 * `R2000HostCommandDecoder` for what the host sends (a simulated reader). Both directions
 * share one framing; only the meaning of a frame differs.
 */
import { codeText, FrameDecoder, type FrameHandler } from "../bytes.js";
import type { ProtocolDecoder, ReaderMessage, SkipReason } from "../types.js";
import {
  Cmd,
  DEFAULT_MAX_LEN,
  ERROR_LEN,
  ERROR_TEXT,
  INVENTORY_CMDS,
  SUCCESS,
  SUMMARY_LEN,
  TAG_LEN_BASE,
  VALUE_CMDS,
} from "./constants.js";
import { r2000Framing } from "./frame.js";
import { readTagFrame } from "./record.js";

export function errorText(code: number): string {
  return codeText(code, ERROR_TEXT, 2, "error");
}

/**
 * One checked reader frame → message. Inventory commands are told apart by Len (reference
 * §2.4): 0x04 error, 0x0A summary ("round-end"), odd = tag (EPCs are whole words). Other
 * commands give a "reply"; a lone data byte is a result code (0x10 → status 0) unless the
 * command is a "get" whose byte is a value.
 */
function onReaderFrame(
  data: Uint8Array,
  pos: number,
  total: number,
  out: ReaderMessage[],
): SkipReason | undefined {
  const len = total - 2;
  const command = data[pos + 3] as number;
  if (INVENTORY_CMDS.has(command)) {
    if ((len & 1) === 1 && len >= TAG_LEN_BASE) {
      out.push({ kind: "tag", tag: readTagFrame(data, pos, total) });
    } else if (len === SUMMARY_LEN) {
      out.push({ kind: "round-end", command, payload: data.slice(pos + 4, pos + total - 1) });
    } else if (len === ERROR_LEN || (command === Cmd.FAST_SWITCH_ANT_INVENTORY && len === 5)) {
      const status = data[pos + total - 2] as number; // 0x8A puts the antenna before the code
      out.push({ kind: "error", command, status, message: errorText(status) });
    } else {
      return "unknown frame";
    }
    return undefined;
  }
  const payload = data.slice(pos + 4, pos + total - 1);
  let status = 0;
  if (payload.length === 1 && !VALUE_CMDS.has(command)) {
    const code = payload[0] as number;
    status = code === SUCCESS ? 0 : code;
  }
  out.push({ kind: "reply", command, status, payload });
  return undefined;
}

export interface R2000DecoderOptions {
  /** Largest Len accepted; 0x7F by default (inventory traffic). Up to 0xFF. */
  maxLen?: number;
}

/** Decodes the reader's byte stream, in any chunking. */
export class R2000Decoder extends FrameDecoder<ReaderMessage> implements ProtocolDecoder {
  constructor(options: R2000DecoderOptions = {}) {
    super(r2000Framing(options.maxLen ?? DEFAULT_MAX_LEN), onReaderFrame);
  }
}

/** A command as the host sent it. */
export interface HostCommand {
  address: number;
  cmd: number;
  data: Uint8Array;
}

const onCommandFrame: FrameHandler<HostCommand> = (data, pos, total, out) => {
  const address = data[pos + 2] as number;
  out.push({ address, cmd: data[pos + 3] as number, data: data.slice(pos + 4, pos + total - 1) });
  return undefined;
};

/** Decodes what the host sends, for a simulated reader. */
export class R2000HostCommandDecoder extends FrameDecoder<HostCommand> {
  constructor(options: R2000DecoderOptions = {}) {
    super(r2000Framing(options.maxLen ?? DEFAULT_MAX_LEN), onCommandFrame);
  }
}
