import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeCommand, encodeReply, tmCrc } from "./frame.js";
import { gen2Crc } from "./record.js";
import { bytesOf, COMMAND_VECTORS, REPLY_VECTORS, TAG_VECTORS } from "./vectors.js";

/** Mercury's nibble-wise loop, written out as the reference gives it (§1.3). */
function nibbleCrc(buf: Uint8Array): number {
  const T = Array.from({ length: 16 }, (_, k) => {
    let r = 0;
    for (let b = 0; b < 4; b++) if (k & (1 << b)) r ^= 0x1021 << b;
    return r & 0xffff;
  });
  let reg = 0xffff;
  for (const byte of buf) {
    for (const nib of [byte >> 4, byte & 15]) {
      const i = reg >> 12;
      reg = (((reg << 4) | nib) & 0xffff) ^ (T[i] as number);
    }
  }
  return reg;
}

describe("ThingMagic CRC", () => {
  it("has the check value 0xA69D over ASCII 123456789 (not CCITT-FALSE's 0x29B1)", () => {
    expect(tmCrc(new TextEncoder().encode("123456789"))).toBe(0xa69d);
  });

  it("equals Mercury's nibble-wise algorithm on any input", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => tmCrc(b) === nibbleCrc(b)));
  });

  it("matches the CRC of every reference frame (over LEN..data, not the 0xFF)", () => {
    const frames = [
      ...Object.values(COMMAND_VECTORS),
      ...Object.values(REPLY_VECTORS),
      ...TAG_VECTORS.map((v) => v.hex),
    ].map(bytesOf);
    for (const f of frames) {
      const crc = tmCrc(f, 1, f.length - 2);
      expect([crc >> 8, crc & 0xff]).toEqual([f[f.length - 2], f[f.length - 1]]);
    }
  });

  it("computes the Gen2 tag CRC E94A of the captured PC + EPC", () => {
    expect(gen2Crc(bytesOf("30 00 00 00 00 00 00 00 00 00 00 00 15 45"))).toBe(0xe94a);
  });
});

describe("ThingMagic frame encoding", () => {
  it("encodes host commands with 5 bytes of overhead", () => {
    expect(encodeCommand(0x03)).toEqual(bytesOf(COMMAND_VECTORS.getVersion));
    expect(encodeCommand(0x2a)).toEqual(bytesOf(COMMAND_VECTORS.clearBuffer));
    expect(encodeCommand(0x06, [0x00, 0x01, 0xc2, 0x00])).toEqual(
      bytesOf(COMMAND_VECTORS.setBaud115200),
    );
  });

  it("encodes replies with 7 bytes of overhead (status word before the data)", () => {
    expect(encodeReply(0x97)).toEqual(bytesOf(REPLY_VECTORS.setRegionOk));
    expect(encodeReply(0x2f, 0, [0x02])).toEqual(bytesOf(REPLY_VECTORS.stopAck));
    expect(encodeReply(0x22, 0x0400)).toEqual(bytesOf(REPLY_VECTORS.keepAlive));
  });

  it("refuses data that would exceed the 256-byte packet", () => {
    expect(() => encodeReply(0x22, 0, new Uint8Array(250))).toThrow(RangeError);
    expect(encodeReply(0x22, 0, new Uint8Array(249))).toHaveLength(256);
  });
});
