import fc from "fast-check";
import { hexBytes, runDecoderContract } from "../testing/contract.js";
import { em4100, encodeCardFrame } from "./index.js";

const tag = (epc: string) => [{ kind: "tag" as const, tag: { epc, antenna: 1 } }];

runDecoderContract("em4100", {
  protocol: em4100,
  // Reference section 3.5, both framings.
  frames: [
    {
      name: "RDM6300 4500A2B3C4",
      bytes: hexBytes("02 34 35 30 30 41 32 42 33 43 34 39 30 03"),
      messages: tag("4500A2B3C4"),
    },
    {
      name: "ID-12LA 4500A2B3C4",
      bytes: hexBytes("02 34 35 30 30 41 32 42 33 43 34 39 30 0D 0A 03"),
      messages: tag("4500A2B3C4"),
    },
    {
      name: "RDM6300 0F0184F07A (checksum 00)",
      bytes: hexBytes("02 30 46 30 31 38 34 46 30 37 41 30 30 03"),
      messages: tag("0F0184F07A"),
    },
  ],
  badChecksum(frame) {
    const copy = frame.slice();
    // the second checksum character: '0' becomes '1', anything else '0'
    copy[12] = copy[12] === 0x30 ? 0x31 : 0x30;
    return copy;
  },
  // 16 hex characters between STX and ETX
  oversized: hexBytes("02 34 35 30 30 41 32 42 33 43 34 39 30 30 30 30 30 03"),
  // noise, a stray ETX, then the reference's unterminated `02 '62E3'` that a new STX must restart
  leadingGarbage: hexBytes("00 FF 41 0D 0A 03 02 36 32 45 33"),
  validFrame: fc
    .tuple(
      fc.uint8Array({ minLength: 5, maxLength: 5 }),
      fc.constantFrom("rdm6300" as const, "id12la" as const),
      fc.boolean(),
    )
    .map(([data, framing, lower]) => {
      const id = Buffer.from(data).toString("hex").toUpperCase();
      return {
        name: `${framing} ${id}`,
        bytes: encodeCardFrame(lower ? id.toLowerCase() : id, framing),
        messages: tag(id),
      };
    }),
  // anything but STX: outside a frame it is skipped byte by byte
  garbage: fc.uint8Array({ maxLength: 24 }).map((bytes) => bytes.filter((b) => b !== 0x02)),
});
