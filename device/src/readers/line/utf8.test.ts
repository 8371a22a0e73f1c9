import { describe, expect, it } from "vitest";
import { LineDecoder } from "./parser.js";

/**
 * Issue 13, item 18, serial line mode: the decoder reads bytes, never text,
 * and takes only hex digits, so a line with bytes that are not UTF-8 is
 * dropped whole (counted as garbage), never reported with U+FFFD in it.
 */
describe("line mode and bytes that are not UTF-8", () => {
  it("drops the line, counts it, and reads the next one", () => {
    const decoder = new LineDecoder();
    const bad = new Uint8Array([
      ...new TextEncoder().encode("EPC:3034257BF7194E40"),
      0xff,
      0xfe,
      0xc3,
      0x28,
      0x0a,
    ]);
    const good = new TextEncoder().encode("EPC:3034257BF7194E4000000001\n");
    expect(decoder.push(bad)).toEqual([]);
    expect(decoder.skipped.garbage).toBe(1);
    expect(decoder.push(good)).toEqual([
      { kind: "tag", tag: { epc: "3034257BF7194E4000000001", antenna: 1 } },
    ]);
  });
});
