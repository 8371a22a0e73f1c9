import { describe, expect, it } from "vitest";
import { encodeEpcLine, gen2Crc } from "./frame.js";
import { LineDecoder } from "./parser.js";

const ascii = (text: string) => new TextEncoder().encode(text);
const epcs = (d: LineDecoder, text: string) =>
  d.push(ascii(text)).map((m) => (m.kind === "tag" ? m.tag.epc : m.kind));

describe("line mode rules", () => {
  it("computes the Gen2 CRC of the reference's PC+EPC (E94A)", () => {
    const pcEpc = Uint8Array.from([0x30, 0x00, ...new Array(10).fill(0), 0x15, 0x45]);
    expect(gen2Crc(pcEpc).toString(16).toUpperCase()).toBe("E94A");
  });

  it("encodes PC + EPC + CRC lines the way Q-style modules print them", () => {
    const bytes = encodeEpcLine("000000000000000000001545", {
      withPcAndCrc: true,
      prefix: "Q",
      terminator: "\r",
    });
    expect(new TextDecoder().decode(bytes)).toBe("Q3000000000000000000000001545E94A\r");
    expect(() => encodeEpcLine("ABC")).toThrow(RangeError);
  });

  it("splits on CR, LF and CRLF, trims blanks and ignores empty lines", () => {
    const d = new LineDecoder();
    expect(epcs(d, "  AAAA\t\r\n\r\n\nBBBB\rCCCC\n \r\n")).toEqual(["AAAA", "BBBB", "CCCC"]);
    expect(Object.values(d.skipped).every((n) => n === 0)).toBe(true);
  });

  it("keeps a line that is not yet terminated until its line end arrives", () => {
    const d = new LineDecoder();
    expect(epcs(d, "30742")).toEqual([]);
    expect(epcs(d, "57BF7194E4000001A85")).toEqual([]);
    expect(epcs(d, "\r\n")).toEqual(["3074257BF7194E4000001A85"]);
  });

  it("counts non-hex lines as garbage and odd digit counts as bad length", () => {
    const d = new LineDecoder();
    expect(epcs(d, "30742 57B\nXYZW\n0013110988\nABCDE\nABCD\n")).toEqual(["ABCD"]);
    expect(d.skipped.garbage).toBe(2);
    expect(d.skipped["bad length"]).toBe(2);
  });

  it("drops an over-long line once, whatever its length, and resumes at the next line", () => {
    const d = new LineDecoder();
    expect(epcs(d, "A".repeat(161))).toEqual([]);
    expect(epcs(d, "B".repeat(100_000))).toEqual([]);
    expect(epcs(d, "\nABCD\n")).toEqual(["ABCD"]);
    expect(d.skipped["bad length"]).toBe(1);
    expect(epcs(d, `${"A".repeat(160)}\n`)).toEqual(["A".repeat(160)]);
  });

  it("strips PC and CRC only when the CRC checks, and reports the PC", () => {
    const d = new LineDecoder();
    expect(d.push(ascii("3000000000000000000000001545E94A\n"))).toEqual([
      { kind: "tag", tag: { epc: "000000000000000000001545", antenna: 1, pc: "3000" } },
    ]);
    expect(d.push(ascii("3000000000000000000000001545E94B\n"))).toEqual([]);
    expect(d.skipped["bad checksum"]).toBe(1);
  });
});
