import fc from "fast-check";
import { type ContractFrame, hexBytes, runDecoderContract } from "../testing/contract.js";
import { channelKhz, encodeRoundEnd, encodeTagRecord, r2000 } from "./index.js";
import { REPLY_VECTORS as R, TAG_VECTORS } from "./vectors.js";

const pcOf = (epc: string): string =>
  ((epc.length / 4) << 11).toString(16).toUpperCase().padStart(4, "0");

const validTag: fc.Arbitrary<ContractFrame> = fc
  .record({
    epc: fc
      .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 31 })
      .map((ws) => ws.map((w) => w.toString(16).toUpperCase().padStart(4, "0")).join("")),
    antenna: fc.integer({ min: 1, max: 8 }),
    rssi: fc.integer({ min: -129, max: -2 }),
    channel: fc.integer({ min: 0, max: 59 }),
  })
  .map(({ channel, ...t }) => ({
    name: `tag ${t.epc}`,
    bytes: encodeTagRecord({ ...t, channel }),
    messages: [
      {
        kind: "tag",
        tag: { ...t, frequency: channelKhz(channel), readerTime: undefined, pc: pcOf(t.epc) },
      },
    ],
  }));

const validSummary: fc.Arbitrary<ContractFrame> = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.nat(0xffff), fc.nat())
  .map(([antenna, readRate, totalRead]) => {
    const bytes = encodeRoundEnd({ antenna, readRate, totalRead });
    return {
      name: `summary ant ${antenna}`,
      bytes,
      messages: [{ kind: "round-end", command: 0x89, payload: bytes.slice(4, 11) }],
    };
  });

runDecoderContract("r2000", {
  protocol: r2000,
  // Reference §2.9: captured firmware reply and summary, built tag, summary and error frames.
  frames: [
    ...TAG_VECTORS.map((v, i) => ({
      name: `tag frame ${i}`,
      bytes: hexBytes(v.hex),
      messages: [{ kind: "tag" as const, tag: v.tag }],
    })),
    {
      name: "firmware 1.0",
      bytes: hexBytes(R.firmware10),
      messages: [{ kind: "reply", command: 0x72, status: 0, payload: hexBytes("01 00") }],
    },
    {
      name: "captured summary",
      bytes: hexBytes(R.summaryCaptured),
      messages: [{ kind: "round-end", command: 0x89, payload: hexBytes("00 00 20 00 00 00 01") }],
    },
    {
      name: "antenna missing",
      bytes: hexBytes(R.antennaMissing),
      messages: [
        {
          kind: "error",
          command: 0x89,
          status: 0x22,
          message: "antenna missing: check the antenna and its cable (0x22)",
        },
      ],
    },
  ],
  badChecksum(frame) {
    const copy = frame.slice();
    copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0x01;
    return copy;
  },
  // Len 0xF0: beyond the inventory bound (0x7F), refused without waiting for 242 bytes.
  oversized: hexBytes("A0 F0 01 89"),
  // Noise, then the `A0 05` false header of reference §9.4.
  leadingGarbage: hexBytes("00 13 37 A0 05"),
  validFrame: fc.oneof({ weight: 4, arbitrary: validTag }, { weight: 1, arbitrary: validSummary }),
  // Anything but 0xA0: with an 8-bit checksum, a start byte in garbage forms a frame 1 time in 256.
  garbage: fc.uint8Array({ maxLength: 24 }).map((b) => b.filter((x) => x !== 0xa0)),
});
