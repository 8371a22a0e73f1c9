import { describe, expect, it } from "vitest";
import { type FrameSpec, FrameStream, fromHex, toHex } from "./bytes.js";

/** A toy framing: 7E LEN payload XOR-of-payload; frames up to 10 bytes. */
const toy: FrameSpec = {
  start: 0x7e,
  headerBytes: 2,
  maxFrame: 10,
  frameLength: (d, p) => ((d[p + 1] as number) > 7 ? -1 : (d[p + 1] as number) + 3),
  checksumOk: (d, p, total) => {
    let x = 0;
    for (let i = p + 2; i < p + total - 1; i++) x ^= d[i] as number;
    return x === d[p + total - 1];
  },
};
const frame = (...payload: number[]): number[] => [
  0x7e,
  payload.length,
  ...payload,
  payload.reduce((a, b) => a ^ b, 0),
];
const stream = () =>
  new FrameStream<string>(toy, (d, p, total, out) => void out.push(toHex(d, p + 2, p + total - 1)));

describe("hex helpers", () => {
  it("round-trips bytes through upper-case hex", () => {
    expect(toHex(Uint8Array.of(0x00, 0xab, 0x0f, 0xff))).toBe("00AB0FFF");
    expect(toHex(Uint8Array.of(1, 2, 3, 4), 1, 3)).toBe("0203");
    expect(fromHex("00ab0FFF")).toEqual(Uint8Array.of(0x00, 0xab, 0x0f, 0xff));
  });

  it("refuses odd or non-hex input with a message naming it", () => {
    expect(() => fromHex("ABC")).toThrow(/"ABC"/);
    expect(() => fromHex("zz")).toThrow(/not a whole number of hex bytes/);
  });
});

describe("FrameStream", () => {
  it("finishes a pending frame from a chunk larger than its carry, then decodes the chunk in place", () => {
    const s = stream();
    const first = frame(1, 2, 3, 4, 5);
    expect(s.push(Uint8Array.from(first.slice(0, 4)))).toEqual([]);
    expect(s.pending).toBe(4);
    const rest = [
      ...first.slice(4),
      ...Array.from({ length: 30 }, () => frame(9, 8)).flat(),
      ...frame(6, 7).slice(0, 3),
    ];
    const out = s.push(Uint8Array.from(rest));
    expect(out).toEqual(["0102030405", ...Array.from({ length: 30 }, () => "0908")]);
    expect(s.pending).toBe(3);
    expect(s.push(Uint8Array.from(frame(6, 7).slice(3)))).toEqual(["0607"]);
  });

  it("counts garbage in bytes, and bad lengths and checksums per candidate", () => {
    const s = stream();
    const bad = frame(1, 2);
    bad[4] = 0x55;
    expect(s.push(Uint8Array.from([1, 2, 3, 0x7e, 0x09, ...bad, ...frame(4)]))).toEqual(["04"]);
    // Garbage: 01 02 03, the 09 after the refused header, the 4 bytes after the bad frame's 7E.
    expect(s.skipped).toEqual({
      garbage: 8,
      "bad checksum": 1,
      "bad length": 1,
      truncated: 0,
      "unknown frame": 0,
    });
  });

  it("flush gives up on an unfinished frame and decodes what followed its start byte", () => {
    const s = stream();
    expect(s.push(Uint8Array.from([0x7e, 0x06, ...frame(5)]))).toEqual([]);
    expect(s.flush()).toEqual(["05"]);
    expect(s.skipped.truncated).toBe(1);
    expect(s.pending).toBe(0);
  });

  it("counts a handler's refusal under the reason it gives", () => {
    const s = new FrameStream<never>(toy, () => "unknown frame");
    expect(s.push(Uint8Array.from(frame(1)))).toEqual([]);
    expect(s.skipped["unknown frame"]).toBe(1);
  });
});
