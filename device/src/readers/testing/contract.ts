/**
 * The contract every reader driver passes (like hono's router/common.case.test.ts):
 * each driver's contract.test.ts calls runDecoderContract with its own fixture,
 * built from the literal vectors of shared/reference/rfid-protocols.md and its encoder.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ProtocolDecoder,
  type ReaderMessage,
  type ReaderProtocol,
  SKIP_REASONS,
  type SkipReason,
} from "../types.js";

export interface ContractFrame {
  /** For test names, e.g. "RDM6300 4500A2B3C4". */
  name: string;
  /** The frame exactly as the reader sends it. */
  bytes: Uint8Array;
  /** What the frame decodes to, alone, on a fresh decoder. */
  messages: ReaderMessage[];
}

export interface DecoderContractFixture {
  protocol: ReaderProtocol;
  /** Literal reference frames; at least one carries a tag and at least one a checksum. */
  frames: readonly ContractFrame[];
  /** A copy of a valid frame with a wrong checksum, or undefined when that frame has none. */
  badChecksum(frame: Uint8Array): Uint8Array | undefined;
  /** Bytes of a frame that declares an impossible length (too long for the protocol). */
  oversized: Uint8Array;
  /** How the oversized frame is counted; "bad length" unless said otherwise. */
  oversizedReason?: SkipReason;
  /** Literal garbage a real link can carry before the first frame (noise, false headers). */
  leadingGarbage: Uint8Array;
  /**
   * Whether a frame cut short is noticed when the next frame starts. Line mode has no
   * start marker: a cut line runs into the next one, so it sets this to false.
   */
  detectsTruncation?: boolean;
  /** Bytes that end any partial frame (line mode: a line end); none for framed protocols. */
  resync?: Uint8Array;
  /** Generated valid frames (from the protocol's encoder) with what they decode to. */
  validFrame: fc.Arbitrary<ContractFrame>;
  /** Generated garbage that cannot form a frame nor swallow the next one, put between frames. */
  garbage: fc.Arbitrary<Uint8Array>;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Bytes of "FF 00 03" style hex text (spaces allowed): the reference's notation. */
export function hexBytes(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  if (!/^(?:[0-9A-Fa-f]{2})*$/.test(clean)) throw new RangeError(`not hex bytes: ${text}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

function totalSkipped(decoder: ProtocolDecoder): number {
  let n = 0;
  for (const reason of SKIP_REASONS) n += decoder.skipped[reason];
  return n;
}

/** Feeds bytes in chunks whose sizes cycle through `sizes`. */
function pushChunked(
  decoder: ProtocolDecoder,
  bytes: Uint8Array,
  sizes: readonly number[],
): ReaderMessage[] {
  const out: ReaderMessage[] = [];
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length] ?? 1);
    out.push(...decoder.push(bytes.subarray(at, at + size)));
    at += size;
  }
  return out;
}

/** Deterministic noise (xorshift32), so a failure replays. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function runDecoderContract(name: string, fixture: DecoderContractFixture): void {
  const { protocol, frames } = fixture;
  const fresh = (): ProtocolDecoder => protocol.createDecoder();
  const all = concatBytes(...frames.map((f) => f.bytes));
  const allMessages = frames.flatMap((f) => f.messages);
  const reasonOversized = fixture.oversizedReason ?? "bad length";

  describe(`${name} decoder contract`, () => {
    it("has meaningful fixtures: tags, checksums, and every skip reason counted from zero", () => {
      expect(protocol.name).toBe(name);
      expect(allMessages.some((m) => m.kind === "tag")).toBe(true);
      expect(frames.some((f) => fixture.badChecksum(f.bytes) !== undefined)).toBe(true);
      const d = fresh();
      expect(Object.keys(d.skipped).sort()).toEqual([...SKIP_REASONS].sort());
      expect(totalSkipped(d)).toBe(0);
    });

    it("decodes each reference fixture exactly, skipping nothing", () => {
      for (const frame of frames) {
        const d = fresh();
        expect(d.push(frame.bytes), frame.name).toEqual(frame.messages);
        expect(totalSkipped(d), frame.name).toBe(0);
      }
    });

    it("yields the same messages whatever the split point, and byte by byte", () => {
      for (const frame of frames) {
        for (let cut = 0; cut <= frame.bytes.length; cut++) {
          const d = fresh();
          const got = [
            ...d.push(frame.bytes.subarray(0, cut)),
            ...d.push(frame.bytes.subarray(cut)),
          ];
          expect(got, `${frame.name} cut at ${cut}`).toEqual(frame.messages);
        }
      }
      for (let cut = 0; cut <= all.length; cut++) {
        const d = fresh();
        const got = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
        expect(got, `joined stream cut at ${cut}`).toEqual(allMessages);
      }
      const d = fresh();
      expect(pushChunked(d, all, [1])).toEqual(allMessages);
      expect(totalSkipped(d)).toBe(0);
    });

    it("decodes joined frames in one chunk, in order", () => {
      const d = fresh();
      const twice = concatBytes(all, all);
      expect(d.push(twice)).toEqual([...allMessages, ...allMessages]);
      expect(totalSkipped(d)).toBe(0);
    });

    it("skips and counts leading garbage, then decodes every frame", () => {
      for (const sizes of [[1_000_000], [1], [3, 5, 7]]) {
        const d = fresh();
        expect(pushChunked(d, concatBytes(fixture.leadingGarbage, all), sizes)).toEqual(
          allMessages,
        );
        expect(totalSkipped(d)).toBeGreaterThan(0);
      }
    });

    it("never reads a frame with a bad checksum, counts it, and recovers on the next frame", () => {
      for (const frame of frames) {
        const bad = fixture.badChecksum(frame.bytes);
        if (bad === undefined) continue;
        const alone = fresh();
        expect(alone.push(bad), frame.name).toEqual([]);
        expect(alone.skipped["bad checksum"], frame.name).toBeGreaterThanOrEqual(1);
        expect(alone.push(all), frame.name).toEqual(allMessages);

        for (const sizes of [[1_000_000], [1], [2, 9]]) {
          const d = fresh();
          const got = pushChunked(d, concatBytes(all, bad, all), sizes);
          expect(got, `${frame.name} in chunks of ${sizes}`).toEqual([
            ...allMessages,
            ...allMessages,
          ]);
          expect(d.skipped["bad checksum"]).toBeGreaterThanOrEqual(1);
        }
      }
    });

    it(`counts an oversized length as "${reasonOversized}" and resynchronises`, () => {
      for (const sizes of [[1_000_000], [1], [4, 11]]) {
        const d = fresh();
        expect(pushChunked(d, concatBytes(fixture.oversized, all), sizes)).toEqual(allMessages);
        expect(d.skipped[reasonOversized]).toBeGreaterThanOrEqual(1);
      }
    });

    it("handles empty input, alone and in the middle of a frame", () => {
      const d = fresh();
      expect(d.push(new Uint8Array(0))).toEqual([]);
      expect(totalSkipped(d)).toBe(0);
      for (const frame of frames) {
        const half = frame.bytes.length >> 1;
        const got = [
          ...d.push(frame.bytes.subarray(0, half)),
          ...d.push(new Uint8Array(0)),
          ...d.push(frame.bytes.subarray(half)),
        ];
        expect(got, frame.name).toEqual(frame.messages);
      }
      expect(totalSkipped(d)).toBe(0);
    });

    if (fixture.detectsTruncation !== false) {
      it("skips a truncated frame and decodes the frames after it", () => {
        for (const frame of frames) {
          const d = fresh();
          const cut = frame.bytes.subarray(0, frame.bytes.length - 1);
          expect(d.push(concatBytes(cut, all)), frame.name).toEqual(allMessages);
          expect(totalSkipped(d), frame.name).toBeGreaterThan(0);
        }
      });
    }

    it("keeps decoders independent: a reopened port starts clean", () => {
      const frame = frames.find((f) => f.messages.length > 0) ?? frames[0];
      if (frame === undefined) throw new Error("no fixture frames");
      const half = frame.bytes.length >> 1;
      const before = fresh();
      expect(before.push(frame.bytes.subarray(0, half))).toEqual([]);
      const reopened = fresh();
      expect(reopened.push(frame.bytes)).toEqual(frame.messages);
      expect(before.push(frame.bytes.subarray(half))).toEqual(frame.messages);
    });

    it("survives 256 KiB of noise without throwing and decodes the frames after it", () => {
      const d = fresh();
      const junk = noise(256 * 1024, 0x9e3779b9);
      for (let at = 0; at < junk.length; at += 4096) d.push(junk.subarray(at, at + 4096));
      expect(totalSkipped(d)).toBeGreaterThan(0);
      const got = d.push(concatBytes(fixture.resync ?? new Uint8Array(0), all, all));
      expect(got.slice(-allMessages.length)).toEqual(allMessages);
    });

    it("property: any chunking of a generated valid stream with garbage yields exactly its reads, in order", () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.option(fixture.garbage, { nil: undefined }), fixture.validFrame), {
            maxLength: 12,
          }),
          fc.option(fixture.garbage, { nil: undefined }),
          fc.array(fc.integer({ min: 1, max: 48 }), { minLength: 1, maxLength: 8 }),
          (items, trailing, sizes) => {
            const parts: Uint8Array[] = [];
            let garbageBytes = 0;
            for (const [junk, frame] of items) {
              if (junk !== undefined) {
                parts.push(junk);
                garbageBytes += junk.length;
              }
              parts.push(frame.bytes);
            }
            if (trailing !== undefined) {
              parts.push(trailing);
              garbageBytes += trailing.length;
            }
            const d = fresh();
            const got = pushChunked(d, concatBytes(...parts), sizes);
            expect(got).toEqual(items.flatMap(([, frame]) => frame.messages));
            if (garbageBytes === 0) expect(totalSkipped(d)).toBe(0);
            else expect(totalSkipped(d)).toBeGreaterThan(0);
          },
        ),
        { numRuns: 200 },
      );
    });
  });
}
