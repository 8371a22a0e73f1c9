import { describe, expect, it } from "vitest";
import { concatBytes, hexBytes } from "../testing/contract.js";
import { Em4100Decoder } from "./parser.js";

const ascii = (text: string) => new TextEncoder().encode(text);
const frame = (body: string, end = "") =>
  concatBytes(hexBytes("02"), ascii(body + end), hexBytes("03"));
const tag4500 = [{ kind: "tag", tag: { epc: "4500A2B3C4", antenna: 1 } }];

describe("EM4100 decoder skip reasons", () => {
  it("restarts on a new STX inside an unterminated frame (reference 3.5 note) and counts it truncated", () => {
    const d = new Em4100Decoder();
    expect(d.push(concatBytes(hexBytes("02"), ascii("62E3"), frame("4500A2B3C490")))).toEqual(
      tag4500,
    );
    expect(d.skipped.truncated).toBe(1);
  });

  it("counts a frame with 11 or 13 hex characters as bad length", () => {
    const d = new Em4100Decoder();
    expect(
      d.push(concatBytes(frame("4500A2B3C49"), frame("4500A2B3C4900"), frame("4500A2B3C490"))),
    ).toEqual(tag4500);
    expect(d.skipped["bad length"]).toBe(2);
    expect(d.skipped.garbage).toBe(1); // the ETX after the 13th character
  });

  it("accepts lower-case hex and reports the id upper case", () => {
    expect(new Em4100Decoder().push(frame("4500a2b3c490", "\r\n"))).toEqual(tag4500);
  });

  it("abandons a frame on a foreign byte as garbage, counting the skipped bytes after it", () => {
    const d = new Em4100Decoder();
    expect(d.push(concatBytes(frame("4500A2 3C490"), frame("4500A2B3C490")))).toEqual(tag4500);
    // the space abandons the frame, then "3C490" and ETX are skipped outside a frame
    expect(d.skipped.garbage).toBe(1 + 6);
  });

  it("rejects more than two CR/LF before ETX and CR/LF inside the hex", () => {
    const d = new Em4100Decoder();
    expect(d.push(frame("4500A2B3C490", "\r\n\r"))).toEqual([]);
    expect(d.push(frame("4500A2\r\nB3C490"))).toEqual([]);
    expect(d.skipped["bad length"]).toBe(2);
  });
});
