import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReaderMessage, TagReport } from "../types.js";
import { versionCommand } from "./commands.js";
import { encodeCommand, encodeReply } from "./frame.js";
import { ThingMagicDecoder, ThingMagicHostCommandDecoder } from "./parser.js";
import { encodeTagRecord, type TagRecordInput } from "./record.js";
import { encodeKeepAlive, encodeReplyTo, encodeStreamStatus, M7E_VERSION_DATA } from "./replies.js";
import { bytesOf, COMMAND_VECTORS as C, REPLY_VECTORS as R, TAG_VECTORS } from "./vectors.js";

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));
const tagsOf = (ms: ReaderMessage[]): TagReport[] =>
  ms.flatMap((m) => (m.kind === "tag" ? [m.tag] : []));

/** Feeds `stream` cut at `cuts` (sorted or not) and returns every message. */
function feed(
  decoder: ThingMagicDecoder,
  stream: Uint8Array,
  cuts: number[] = [],
): ReaderMessage[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const out: ReaderMessage[] = [];
  let from = 0;
  for (const p of [...points, stream.length]) {
    out.push(...decoder.push(stream.subarray(from, p)));
    from = p;
  }
  return out;
}

const [V0, V1, V2] = TAG_VECTORS.map((v) => ({ bytes: bytesOf(v.hex), tag: v.tag })) as [
  { bytes: Uint8Array; tag: TagReport },
  { bytes: Uint8Array; tag: TagReport },
  { bytes: Uint8Array; tag: TagReport },
];

describe("ThingMagic tag records", () => {
  it("decodes the reference records field by field", () => {
    for (const v of TAG_VECTORS) {
      expect(new ThingMagicDecoder().push(bytesOf(v.hex))).toEqual([{ kind: "tag", tag: v.tag }]);
    }
  });

  it("encodes the reference records byte for byte (metadata, Gen2 CRC, frame CRC)", () => {
    for (const v of TAG_VECTORS) {
      const input: TagRecordInput = { ...v.tag };
      expect(encodeTagRecord(input)).toEqual(bytesOf(v.hex));
    }
  });

  it("reads records carrying only some metadata, and antenna port 2", () => {
    const frame = encodeTagRecord({
      epc: "ABCD",
      antenna: 2,
      rssi: -40,
      readerTime: 7,
      metadata: 0x0016,
    });
    expect(new ThingMagicDecoder().push(frame)).toEqual([
      {
        kind: "tag",
        tag: {
          epc: "ABCD",
          antenna: 2,
          rssi: -40,
          frequency: undefined,
          readerTime: 7,
          pc: "0800",
        },
      },
    ]);
  });

  it("reads a PC with XPC (XI bit) and skips the XPC word", () => {
    // PC 0x3200: 6 words, XI set; XPC_W1 0x0000; bit length counts PC + XPC + EPC + CRC.
    const body = bytesOf(
      "10 00 1B 00 00 01 00 90 32 00 00 00 11 22 33 44 55 66 77 88 99 AA BB CC 12 34",
    );
    const [m] = new ThingMagicDecoder().push(encodeReply(0x22, 0, body));
    expect(m).toMatchObject({ kind: "tag", tag: { epc: "112233445566778899AABBCC", pc: "3200" } });
  });

  it("counts a record whose EPC length overruns its frame as bad length", () => {
    const body = bytesOf("10 00 1B 00 00 01 01 00 30 00 11 22");
    const d = new ThingMagicDecoder();
    expect(d.push(encodeReply(0x22, 0, body))).toEqual([]);
    expect(d.skipped["bad length"]).toBe(1);
  });
});

describe("ThingMagic replies and status frames", () => {
  it("decodes the version reply with its 20 data bytes", () => {
    expect(new ThingMagicDecoder().push(bytesOf(R.versionM7E))).toEqual([
      { kind: "reply", command: 0x03, status: 0, payload: M7E_VERSION_DATA },
    ]);
  });

  it("turns the keep-alive into a round end and alarms into errors", () => {
    const d = new ThingMagicDecoder();
    expect(
      d.push(concat(bytesOf(R.keepAlive), encodeStreamStatus(0x0505), bytesOf(R.stopAck))),
    ).toEqual([
      { kind: "round-end", command: 0x22, payload: new Uint8Array() },
      {
        kind: "error",
        command: 0x22,
        status: 0x0505,
        message: "high return loss: check the antenna and its cable (0x0505)",
      },
      { kind: "reply", command: 0x2f, status: 0, payload: Uint8Array.of(2) },
    ]);
  });

  it("keeps a refused command as a reply with its status, for the start-up step", () => {
    expect(new ThingMagicDecoder().push(encodeReply(0x92, 0x0103))).toEqual([
      { kind: "reply", command: 0x92, status: 0x0103, payload: new Uint8Array() },
    ]);
  });
});

describe("ThingMagic stream decoding", () => {
  const stream = concat(V0.bytes, bytesOf(R.keepAlive), V1.bytes, V2.bytes);

  it("decodes nothing from empty input", () => {
    const d = new ThingMagicDecoder();
    expect(d.push(new Uint8Array())).toEqual([]);
    expect(Object.values(d.skipped).every((n) => n === 0)).toBe(true);
  });

  it("decodes frames split across chunks, byte by byte", () => {
    const d = new ThingMagicDecoder();
    const out = feed(
      d,
      stream,
      Array.from({ length: stream.length }, (_, i) => i),
    );
    expect(tagsOf(out)).toEqual([V0.tag, V1.tag, V2.tag]);
    expect(out).toHaveLength(4);
  });

  it("decodes joined frames from one chunk", () => {
    expect(tagsOf(new ThingMagicDecoder().push(stream))).toEqual([V0.tag, V1.tag, V2.tag]);
  });

  it("skips leading garbage, counting its bytes", () => {
    const d = new ThingMagicDecoder();
    expect(tagsOf(d.push(concat(bytesOf("00 13 37 42 AA"), V1.bytes)))).toEqual([V1.tag]);
    expect(d.skipped.garbage).toBe(5);
  });

  it("skips runs of 0xFF and a false header 'FF 12' without losing the next frame", () => {
    const d = new ThingMagicDecoder();
    const out = feed(d, concat(bytesOf("FF FF FF 12"), V0.bytes, V1.bytes), [3, 30, 60]);
    expect(tagsOf(out)).toEqual([V0.tag, V1.tag]);
    expect(d.skipped["bad length"]).toBe(2); // FF FF: LEN 255 cannot fit 256 bytes
  });

  it("drops a frame with a bad CRC, then recovers on the next frame", () => {
    const bad = V1.bytes.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0x01;
    const d = new ThingMagicDecoder();
    expect(tagsOf(feed(d, concat(V0.bytes, bad, V2.bytes), [50, 51]))).toEqual([V0.tag, V2.tag]);
    expect(d.skipped["bad checksum"]).toBeGreaterThanOrEqual(1);
    expect(d.skipped.truncated).toBe(0);
  });

  it("never yields a frame whose CRC is wrong, whatever the byte changed", () => {
    for (let i = 1; i < V2.bytes.length; i++) {
      const bad = V2.bytes.slice();
      bad[i] = (bad[i] as number) ^ 0x40;
      expect(tagsOf(new ThingMagicDecoder().push(bad))).toEqual([]);
    }
  });

  it("counts a frame cut short by the next one as truncated and decodes the next", () => {
    const d = new ThingMagicDecoder();
    expect(tagsOf(d.push(concat(V0.bytes.subarray(0, 20), V1.bytes, V2.bytes)))).toEqual([
      V1.tag,
      V2.tag,
    ]);
    expect(d.skipped.truncated).toBe(1);
  });

  it("holds an unfinished frame until flush, then counts it truncated", () => {
    const d = new ThingMagicDecoder();
    expect(d.push(V0.bytes.subarray(0, 30))).toEqual([]);
    expect(d.flush()).toEqual([]);
    expect(d.skipped.truncated).toBe(1);
    expect(tagsOf(d.push(V1.bytes))).toEqual([V1.tag]);
  });

  it("keeps its memory bounded whatever the garbage", () => {
    const d = new ThingMagicDecoder();
    for (let i = 0; i < 100; i++) d.push(new Uint8Array(10_000).fill(0x41));
    expect(d.skipped.garbage).toBe(1_000_000);
    expect(tagsOf(d.push(V0.bytes))).toEqual([V0.tag]);
  });
});

describe("ThingMagic host command decoder (simulator side)", () => {
  it("parses host commands with the +5 framing, after wake-up 0xFF filler", () => {
    const d = new ThingMagicHostCommandDecoder();
    const cmds = d.push(
      concat(new Uint8Array(8).fill(0xff), versionCommand(), bytesOf(C.setRegionNA)),
    );
    expect(cmds).toEqual([
      { opcode: 0x03, data: new Uint8Array() },
      { opcode: 0x97, data: Uint8Array.of(0x01) },
    ]);
  });

  it("answers each host command byte-exactly", () => {
    const d = new ThingMagicHostCommandDecoder();
    const [version, region, start, stop] = d.push(
      concat(
        bytesOf(C.getVersion),
        bytesOf(C.setRegionPRC),
        bytesOf(C.startReadAllMetadata),
        bytesOf(C.stopRead),
      ),
    );
    expect(version && encodeReplyTo(version)).toEqual(bytesOf(R.versionM7E));
    expect(region && encodeReplyTo(region)).toEqual(bytesOf(R.setRegionOk));
    expect(start && encodeReplyTo(start)).toEqual(bytesOf(R.startAck));
    expect(stop && encodeReplyTo(stop)).toEqual(bytesOf(R.stopAck));
    expect(encodeKeepAlive()).toEqual(bytesOf(R.keepAlive));
  });
});

// ---- properties -------------------------------------------------------------------------

const arbTag = fc.record({
  epc: fc
    .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 31 })
    .map((ws) => ws.map((w) => w.toString(16).toUpperCase().padStart(4, "0")).join("")),
  antenna: fc.integer({ min: 1, max: 16 }),
  rssi: fc.integer({ min: -128, max: 127 }),
  frequency: fc.integer({ min: 0, max: 0xffffff }),
  readerTime: fc.integer({ min: 0, max: 0xffffffff }),
});

type Item = { frame: Uint8Array; expected: ReaderMessage };
const arbItem: fc.Arbitrary<Item> = fc.oneof(
  {
    weight: 8,
    arbitrary: arbTag.map(
      (t) =>
        ({
          frame: encodeTagRecord(t),
          expected: {
            kind: "tag",
            tag: {
              ...t,
              pc: ((t.epc.length / 4) << 11).toString(16).toUpperCase().padStart(4, "0"),
            },
          },
        }) as Item,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      frame: encodeKeepAlive(),
      expected: { kind: "round-end", command: 0x22, payload: new Uint8Array() },
    } as Item),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 40 }).map(
      (p) =>
        ({
          frame: encodeReply(0x29, 0, p),
          expected: { kind: "reply", command: 0x29, status: 0, payload: p },
        }) as Item,
    ),
  },
);
/** Garbage that holds no start byte: skipping it is then deterministic, not probabilistic. */
const arbGarbage = fc
  .uint8Array({ maxLength: 12 })
  .map((g) => g.map((b) => (b === 0xff ? 0xfe : b)));
const arbCuts = fc.array(fc.nat(), { maxLength: 30 });

describe("ThingMagic decoder properties", () => {
  it("any chunking of frames and interleaved garbage yields exactly the frames, in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbGarbage, arbItem), { maxLength: 25 }),
        arbCuts,
        (items, cuts) => {
          const stream = concat(...items.flatMap(([g, it]) => [g, it.frame]));
          const d = new ThingMagicDecoder();
          expect(feed(d, stream, cuts)).toEqual(items.map(([, it]) => it.expected));
          expect(d.skipped.garbage).toBe(items.reduce((n, [g]) => n + g.length, 0));
        },
      ),
    );
  });

  it("a corrupted frame among good ones costs only itself, in any chunking", () => {
    // Frames with no 0xFF after their start (so no false header inside) and one byte changed
    // after LEN: the CRC catches every single-byte change, so this holds with certainty.
    const arbClean = arbTag
      .map((t) => encodeTagRecord({ ...t, metadata: 0x001e }))
      .filter((f) => !f.subarray(1).includes(0xff));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), arbClean, fc.nat(), fc.integer({ min: 1, max: 0xfe })), {
          maxLength: 15,
        }),
        arbCuts,
        (frames, cuts) => {
          const parts = frames.map(([corrupt, f, at, x]) => {
            if (!corrupt) return f;
            const bad = f.slice();
            const i = 2 + (at % (f.length - 2));
            bad[i] = (bad[i] as number) ^ x;
            // Never a start byte (a false header); ^ 0x01 would make one of 0xFE.
            if (bad[i] === 0xff) bad[i] = (f[i] as number) ^ (f[i] === 0xfe ? 0x02 : 0x01);
            return bad;
          });
          const d = new ThingMagicDecoder();
          const want = frames
            .filter(([c]) => !c)
            .map(([, f]) => new ThingMagicDecoder().push(f)[0]);
          expect(feed(d, concat(...parts), cuts)).toEqual(want);
          expect(d.skipped["bad checksum"]).toBe(frames.filter(([c]) => c).length);
        },
      ),
    );
  });

  it("host commands decode the same in any chunking", () => {
    const arbCmd = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 60 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbGarbage, arbCmd), { maxLength: 20 }),
        arbCuts,
        (cmds, cuts) => {
          const stream = concat(...cmds.flatMap(([g, [op, data]]) => [g, encodeCommand(op, data)]));
          const d = new ThingMagicHostCommandDecoder();
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort(
            (a, b) => a - b,
          );
          const got = [];
          let from = 0;
          for (const p of [...points, stream.length]) {
            got.push(...d.push(stream.subarray(from, p)));
            from = p;
          }
          expect(got).toEqual(cmds.map(([, [opcode, data]]) => ({ opcode, data })));
        },
      ),
    );
  });
});
