import fc from "fast-check";
import { runDecoderContract } from "../testing/contract.js";
import type { ReaderMessage } from "../types.js";
import { encodeEpcLine, line } from "./index.js";

const ascii = (text: string) => new TextEncoder().encode(text);
const tag = (epc: string, pc?: string): ReaderMessage[] => [
  { kind: "tag", tag: pc === undefined ? { epc, antenna: 1 } : { epc, antenna: 1, pc } },
];

/** Printable characters that are neither hex, blank, 'Q' nor a line end. */
const NOT_HEX = "GHIJKLMNOPRSTUVWXYZghijklmnopqrstuvwxyz!#$%&*+-./;<=>?@[]^_{|}~";

runDecoderContract("line", {
  protocol: line,
  frames: [
    // Reference 5.5 SGTIN-96, CR LF
    {
      name: "SGTIN CRLF",
      bytes: ascii("3074257BF7194E4000001A85\r\n"),
      messages: tag("3074257BF7194E4000001A85"),
    },
    // Reference 1.9 factory EPC, lower case, LF only
    {
      name: "lower case LF",
      bytes: ascii("e2801160600002054cc2096f\n"),
      messages: tag("E2801160600002054CC2096F"),
    },
    // Reference 1.6/1.9: PC 3000 + EPC ...1545 + Gen2 CRC E94A, as a `Q` poll reply, CR only
    {
      name: "Q PC+EPC+CRC",
      bytes: ascii("Q3000000000000000000000001545E94A\r"),
      messages: tag("000000000000000000001545", "3000"),
    },
    {
      name: "EPC: prefix",
      bytes: ascii("EPC: 303B3584822A94800012D687\r\n"),
      messages: tag("303B3584822A94800012D687"),
    },
  ],
  badChecksum(frame) {
    if (frame[0] !== 0x51) return undefined; // only the PC+EPC+CRC line carries a checksum
    const copy = frame.slice();
    const last = copy.length - 2; // last CRC digit, before the CR
    copy[last] = copy[last] === 0x41 ? 0x42 : 0x41;
    return copy;
  },
  oversized: ascii(`${"3074".repeat(50)}\r\n`),
  leadingGarbage: ascii("\x00\xffREADY\r\n\r\n  \r\nEPC:\r\n"),
  detectsTruncation: false,
  resync: ascii("\n"),
  validFrame: fc
    .record({
      words: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 31 }),
      terminator: fc.constantFrom("\r\n" as const, "\n" as const, "\r" as const),
      withPcAndCrc: fc.boolean(),
      lowerCase: fc.boolean(),
      prefix: fc.constantFrom("", "EPC:", "epc: ", "Q"),
    })
    .filter(
      // A bare EPC whose first word reads as a PC announcing exactly 2 fewer words is,
      // by the documented rule, a PC+EPC+CRC line: not a valid bare-EPC frame.
      ({ words, withPcAndCrc }) =>
        withPcAndCrc || ((words[0] ?? 0) >> 11) * 2 + 4 !== words.length * 2,
    )
    .map(({ words, withPcAndCrc, ...options }) => {
      const epc = words.map((w) => w.toString(16).toUpperCase().padStart(4, "0")).join("");
      const pc = withPcAndCrc
        ? ((words.length << 11) >>> 0).toString(16).toUpperCase().padStart(4, "0")
        : undefined;
      return {
        name: epc,
        bytes: encodeEpcLine(epc, { ...options, withPcAndCrc }),
        messages: tag(epc, pc),
      };
    }),
  garbage: fc
    .tuple(
      fc.string({ unit: fc.constantFrom(...NOT_HEX), minLength: 1, maxLength: 20 }),
      fc.constantFrom("\r\n", "\n", "\r"),
    )
    .map(([text, end]) => ascii(text + end)),
});
