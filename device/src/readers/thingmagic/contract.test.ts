import fc from "fast-check";
import { type ContractFrame, hexBytes, runDecoderContract } from "../testing/contract.js";
import type { ReaderMessage } from "../types.js";
import { encodeReply, encodeTagRecord, M7E_VERSION_DATA, thingmagic } from "./index.js";
import { REPLY_VECTORS as R, TAG_VECTORS } from "./vectors.js";

const pcOf = (epc: string): string =>
  ((epc.length / 4) << 11).toString(16).toUpperCase().padStart(4, "0");

const validTag: fc.Arbitrary<ContractFrame> = fc
  .record({
    epc: fc
      .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 31 })
      .map((ws) => ws.map((w) => w.toString(16).toUpperCase().padStart(4, "0")).join("")),
    antenna: fc.integer({ min: 1, max: 16 }),
    rssi: fc.integer({ min: -128, max: 127 }),
    frequency: fc.integer({ min: 0, max: 0xffffff }),
    readerTime: fc.integer({ min: 0, max: 0xffffffff }),
  })
  .map((t) => ({
    name: `tag ${t.epc}`,
    bytes: encodeTagRecord(t),
    messages: [{ kind: "tag", tag: { ...t, pc: pcOf(t.epc) } }],
  }));

const validReply: fc.Arbitrary<ContractFrame> = fc
  .tuple(fc.constantFrom(0x03, 0x29, 0x62, 0x97), fc.uint8Array({ maxLength: 60 }))
  .map(([command, payload]) => ({
    name: `reply 0x${command.toString(16)}`,
    bytes: encodeReply(command, 0, payload),
    messages: [{ kind: "reply", command, status: 0, payload }],
  }));

const reply = (command: number, payload: number[] | Uint8Array = []): ReaderMessage[] => [
  { kind: "reply", command, status: 0, payload: Uint8Array.from(payload) },
];

runDecoderContract("thingmagic", {
  protocol: thingmagic,
  // Reference §1.9: three streamed records (one captured) and captured replies.
  frames: [
    ...TAG_VECTORS.map((v, i) => ({
      name: `tag record ${i}`,
      bytes: hexBytes(v.hex),
      messages: [{ kind: "tag" as const, tag: v.tag }],
    })),
    {
      name: "version reply (M7E)",
      bytes: hexBytes(R.versionM7E),
      messages: reply(0x03, M7E_VERSION_DATA),
    },
    { name: "stop ack", bytes: hexBytes(R.stopAck), messages: reply(0x2f, [0x02]) },
    { name: "set region OK", bytes: hexBytes(R.setRegionOk), messages: reply(0x97) },
    {
      name: "keep-alive (0x0400)",
      bytes: hexBytes(R.keepAlive),
      messages: [{ kind: "round-end", command: 0x22, payload: new Uint8Array() }],
    },
  ],
  badChecksum(frame) {
    const copy = frame.slice();
    copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0x01;
    return copy;
  },
  // LEN 250 + 7 overhead = 257 bytes: more than the 256-byte packet a module can send.
  oversized: hexBytes("FF FA 22 00 00"),
  // Noise, the 0xFF wake-up run, and the `FF 12` false header that defeats length-only framers.
  leadingGarbage: hexBytes("00 13 37 FF FF FF 12"),
  validFrame: fc.oneof({ weight: 4, arbitrary: validTag }, { weight: 1, arbitrary: validReply }),
  // Anything but 0xFF: a start byte in garbage could begin a frame by chance (CRC-16: 1 in 65536).
  garbage: fc.uint8Array({ maxLength: 24 }).map((b) => b.filter((x) => x !== 0xff)),
});
