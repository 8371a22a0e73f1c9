import type { ReaderProtocol } from "../types.js";
import { startup } from "./commands.js";
import { EM4100_BAUD } from "./constants.js";
import { Em4100Decoder } from "./parser.js";

export { EM4100_BAUD, type Em4100Framing } from "./constants.js";
export { cardIdOf, encodeCardFrame, xorChecksum } from "./frame.js";
export { Em4100Decoder } from "./parser.js";

/** EM4100 125 kHz ASCII readers (RDM6300, ID-12LA / ID-20LA): stream-only, 9600 baud. */
export const em4100: ReaderProtocol = {
  name: "em4100",
  defaultBaud: EM4100_BAUD,
  createDecoder: () => new Em4100Decoder(),
  startup,
};
