import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReaderMessage, TagReport } from "../types.js";
import { realTimeInventoryCommand, setWorkAntennaCommand } from "./commands.js";
import { encodeFrame } from "./frame.js";
import { R2000Decoder, R2000HostCommandDecoder } from "./parser.js";
import { encodeResult, encodeRoundEnd, encodeTagRecord } from "./record.js";
import { encodeReplyTo } from "./replies.js";
import { bytesOf, COMMAND_VECTORS as C, REPLY_VECTORS as R, TAG_VECTORS } from "./vectors.js";

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));
const tagsOf = (ms: ReaderMessage[]): TagReport[] =>
  ms.flatMap((m) => (m.kind === "tag" ? [m.tag] : []));

function feed<T>(
  decoder: { push(c: Uint8Array): T[] },
  stream: Uint8Array,
  cuts: number[] = [],
): T[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const out: T[] = [];
  let from = 0;
  for (const p of [...points, stream.length]) {
    out.push(...decoder.push(stream.subarray(from, p)));
    from = p;
  }
  return out;
}

const [V0, V1] = TAG_VECTORS.map((v) => ({ bytes: bytesOf(v.hex), tag: v.tag })) as [
  { bytes: Uint8Array; tag: TagReport },
  { bytes: Uint8Array; tag: TagReport },
];

describe("R2000 inventory frames", () => {
  it("decodes the reference tag frames: channel, antenna, RSSI, PC, EPC", () => {
    for (const v of TAG_VECTORS) {
      expect(new R2000Decoder().push(bytesOf(v.hex))).toEqual([{ kind: "tag", tag: v.tag }]);
    }
  });

  it("encodes the reference tag frames byte for byte", () => {
    const [a, b] = TAG_VECTORS as [(typeof TAG_VECTORS)[number], (typeof TAG_VECTORS)[number]];
    expect(encodeTagRecord({ ...a.tag, channel: a.channel })).toEqual(bytesOf(a.hex));
    expect(encodeTagRecord({ ...b.tag, channel: b.channel }, { cmd: 0x8b })).toEqual(
      bytesOf(b.hex),
    );
  });

  it("decodes round summaries as round-end with AntID, rate and total", () => {
    expect(new R2000Decoder().push(bytesOf(R.summaryCaptured))).toEqual([
      { kind: "round-end", command: 0x89, payload: bytesOf("00 00 20 00 00 00 01") },
    ]);
    expect(encodeRoundEnd({ antenna: 1, readRate: 120, totalRead: 360 })).toEqual(
      bytesOf(R.summaryBuilt),
    );
  });

  it("decodes inventory errors and one-byte results", () => {
    expect(
      new R2000Decoder().push(concat(bytesOf(R.antennaMissing), bytesOf(R.bufferEmpty))),
    ).toEqual([
      {
        kind: "error",
        command: 0x89,
        status: 0x22,
        message: "antenna missing: check the antenna and its cable (0x22)",
      },
      { kind: "reply", command: 0x90, status: 0x38, payload: Uint8Array.of(0x38) },
    ]);
    expect(encodeResult(0x89, 0x22)).toEqual(bytesOf(R.antennaMissing));
  });

  it("maps result 0x10 to status 0, and keeps a get's value byte as a value", () => {
    expect(
      new R2000Decoder().push(concat(encodeResult(0x76), encodeFrame(0x77, [0x10], 1))),
    ).toEqual([
      { kind: "reply", command: 0x76, status: 0, payload: Uint8Array.of(0x10) },
      { kind: "reply", command: 0x77, status: 0, payload: Uint8Array.of(0x10) },
    ]);
  });

  it("reads antennas 5–8 from RSSI bit 7, and a phase-carrying frame by its PC", () => {
    const eight = encodeTagRecord({ epc: "1234", antenna: 7, rssi: -60, channel: 10 });
    expect(tagsOf(new R2000Decoder().push(eight))).toEqual([
      { epc: "1234", antenna: 7, rssi: -60, frequency: 903_500, readerTime: undefined, pc: "0800" },
    ]);
    // FreqAnt, PC (1 word), EPC, RSSI, phase (2): Len 11, EPC length taken from the PC.
    const phased = encodeFrame(0x89, [0x01, 0x08, 0x00, 0xab, 0xcd, 0x40, 0x12, 0x34], 1);
    expect(tagsOf(new R2000Decoder().push(phased))).toMatchObject([
      { epc: "ABCD", antenna: 2, rssi: -65 },
    ]);
  });

  it("counts an inventory frame of no known shape as unknown", () => {
    const d = new R2000Decoder();
    expect(d.push(encodeFrame(0x89, [1, 2, 3]))).toEqual([]);
    expect(d.skipped["unknown frame"]).toBe(1);
  });
});

describe("R2000 stream decoding", () => {
  const stream = concat(V0.bytes, bytesOf(R.summaryBuilt), V1.bytes);

  it("decodes nothing from empty input", () => {
    const d = new R2000Decoder();
    expect(d.push(new Uint8Array())).toEqual([]);
    expect(Object.values(d.skipped).every((n) => n === 0)).toBe(true);
  });

  it("decodes frames split byte by byte, and joined in one chunk", () => {
    const bytewise = feed(
      new R2000Decoder(),
      stream,
      Array.from({ length: stream.length }, (_, i) => i),
    );
    expect(bytewise).toEqual(new R2000Decoder().push(stream));
    expect(tagsOf(bytewise)).toEqual([V0.tag, V1.tag]);
    expect(bytewise[1]?.kind).toBe("round-end");
  });

  it("skips leading garbage, counting its bytes", () => {
    const d = new R2000Decoder();
    expect(tagsOf(d.push(concat(bytesOf("01 02 03"), V0.bytes)))).toEqual([V0.tag]);
    expect(d.skipped.garbage).toBe(3);
  });

  it("does not let a false header 'A0 05' swallow the frames after it", () => {
    const d = new R2000Decoder();
    expect(tagsOf(feed(d, concat(bytesOf("A0 05"), V0.bytes, V1.bytes), [1, 2, 9]))).toEqual([
      V0.tag,
      V1.tag,
    ]);
    expect(d.skipped.truncated + d.skipped["bad checksum"]).toBe(1);
  });

  it("drops a frame with a bad checksum, then recovers on the next frame", () => {
    const bad = V0.bytes.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0x01;
    const d = new R2000Decoder();
    expect(tagsOf(d.push(concat(bad, V1.bytes)))).toEqual([V1.tag]);
    expect(d.skipped["bad checksum"]).toBe(1);
  });

  it("refuses an impossible length at once: 'A0 FF' and 'A0 02'", () => {
    const d = new R2000Decoder();
    expect(tagsOf(d.push(concat(bytesOf("A0 FF A0 02"), V1.bytes)))).toEqual([V1.tag]);
    expect(d.skipped["bad length"]).toBe(2);
  });

  it("accepts longer frames when told to", () => {
    const big = encodeFrame(0x81, new Uint8Array(200).fill(7), 1);
    expect(new R2000Decoder().push(big)).toEqual([]);
    expect(new R2000Decoder({ maxLen: 0xff }).push(big)).toHaveLength(1);
  });

  it("counts a frame cut short by the next one as truncated", () => {
    const d = new R2000Decoder();
    expect(tagsOf(d.push(concat(V0.bytes.subarray(0, 9), V1.bytes, V0.bytes)))).toEqual([
      V1.tag,
      V0.tag,
    ]);
    expect(d.skipped.truncated).toBe(1);
  });
});

describe("R2000 host command decoder (simulator side)", () => {
  it("parses host commands and answers each byte-exactly", () => {
    const d = new R2000HostCommandDecoder();
    const cmds = d.push(
      concat(
        bytesOf(C.getFirmwareBroadcast),
        bytesOf(C.setWorkAntenna1),
        bytesOf(C.inventoryRepeat1Broadcast),
      ),
    );
    expect(cmds).toEqual([
      { address: 0xff, cmd: 0x72, data: new Uint8Array() },
      { address: 0x01, cmd: 0x74, data: Uint8Array.of(0) },
      { address: 0xff, cmd: 0x89, data: Uint8Array.of(1) },
    ]);
    const [version, antenna, inventory] = cmds as [
      (typeof cmds)[number],
      (typeof cmds)[number],
      (typeof cmds)[number],
    ];
    expect(encodeReplyTo(version, 0xff)).toEqual(bytesOf(R.firmware10));
    expect(encodeReplyTo(antenna)).toEqual(bytesOf("A0 04 01 74 10 D7"));
    expect(encodeReplyTo(inventory)).toBeUndefined();
  });
});

// ---- properties -------------------------------------------------------------------------

const arbTag = fc.record({
  epc: fc
    .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 31 })
    .map((ws) => ws.map((w) => w.toString(16).toUpperCase().padStart(4, "0")).join("")),
  antenna: fc.integer({ min: 1, max: 8 }),
  rssi: fc.integer({ min: -129, max: -2 }),
  channel: fc.integer({ min: 0, max: 59 }),
});
type Item = { frame: Uint8Array; expected: ReaderMessage };
const pcOf = (epc: string): string =>
  ((epc.length / 4) << 11).toString(16).toUpperCase().padStart(4, "0");
const khz = (i: number): number => (i < 7 ? 865_000 + 500 * i : 902_000 + 500 * (i - 7));
const arbItem: fc.Arbitrary<Item> = fc.oneof(
  {
    weight: 8,
    arbitrary: arbTag.map(
      ({ channel, ...t }): Item => ({
        frame: encodeTagRecord({ ...t, channel }),
        expected: {
          kind: "tag",
          tag: { ...t, frequency: khz(channel), readerTime: undefined, pc: pcOf(t.epc) },
        },
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.nat(0xffff), fc.nat())
      .map(([antenna, readRate, totalRead]) => {
        const frame = encodeRoundEnd({ antenna, readRate, totalRead });
        return {
          frame,
          expected: { kind: "round-end", command: 0x89, payload: frame.slice(4, 11) },
        } as Item;
      }),
  },
);
/** Garbage without the start byte: skipping it is then certain, not merely likely. */
const arbGarbage = fc
  .uint8Array({ maxLength: 12 })
  .map((g) => g.map((b) => (b === 0xa0 ? 0xa1 : b)));
const arbCuts = fc.array(fc.nat(), { maxLength: 30 });

describe("R2000 decoder properties", () => {
  it("any chunking of frames and interleaved garbage yields exactly the frames, in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbGarbage, arbItem), { maxLength: 25 }),
        arbCuts,
        (items, cuts) => {
          const d = new R2000Decoder();
          const stream = concat(...items.flatMap(([g, it]) => [g, it.frame]));
          expect(feed(d, stream, cuts)).toEqual(items.map(([, it]) => it.expected));
          expect(d.skipped.garbage).toBe(items.reduce((n, [g]) => n + g.length, 0));
        },
      ),
    );
  });

  it("a corrupted frame among good ones costs only itself, in any chunking", () => {
    // No 0xA0 after the head (no false header inside) and one byte after Len changed: the
    // 8-bit sum catches every single-byte change, so this holds with certainty.
    const arbClean = arbTag
      .map((t) => encodeTagRecord(t))
      .filter((f) => !f.subarray(1).includes(0xa0));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), arbClean, fc.nat(), fc.integer({ min: 1, max: 0xff })), {
          maxLength: 15,
        }),
        arbCuts,
        (frames, cuts) => {
          const parts = frames.map(([corrupt, f, at, x]) => {
            if (!corrupt) return f;
            const bad = f.slice();
            const i = 2 + (at % (f.length - 2));
            bad[i] = (bad[i] as number) ^ x;
            // Never a start byte (a false header); ^ 0x01 would make one of 0xA1.
            if (bad[i] === 0xa0) bad[i] = (f[i] as number) ^ (f[i] === 0xa1 ? 0x02 : 0x01);
            return bad;
          });
          const d = new R2000Decoder();
          const want = frames.filter(([c]) => !c).map(([, f]) => new R2000Decoder().push(f)[0]);
          expect(feed(d, concat(...parts), cuts)).toEqual(want);
          expect(d.skipped["bad checksum"]).toBe(frames.filter(([c]) => c).length);
        },
      ),
    );
  });

  it("host commands decode the same in any chunking", () => {
    const arbCmd = fc.oneof(
      fc.integer({ min: 1, max: 8 }).map((a) => setWorkAntennaCommand(a)),
      fc.integer({ min: 1, max: 255 }).map((r) => realTimeInventoryCommand(r, 1)),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbGarbage, arbCmd), { maxLength: 20 }),
        arbCuts,
        (cmds, cuts) => {
          const stream = concat(...cmds.flat());
          const got = feed(new R2000HostCommandDecoder(), stream, cuts);
          expect(got.map((c) => encodeFrame(c.cmd, c.data, c.address))).toEqual(
            cmds.map(([, c]) => c),
          );
        },
      ),
    );
  });
});
