import type { ReaderProtocol } from "../types.js";
import { startup } from "./commands.js";
import { LINE_BAUD } from "./constants.js";
import { LineDecoder } from "./parser.js";

export { LINE_BAUD, MAX_LINE_LENGTH } from "./constants.js";
export { encodeEpcLine, gen2Crc, type LineOptions } from "./frame.js";
export { LineDecoder } from "./parser.js";

/** One EPC in hex per line (CDC / virtual-COM text readers); stream-only. */
export const line: ReaderProtocol = {
  name: "line",
  defaultBaud: LINE_BAUD,
  createDecoder: () => new LineDecoder(),
  startup,
};
