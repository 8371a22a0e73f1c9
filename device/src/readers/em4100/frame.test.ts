import { describe, expect, it } from "vitest";
import { hexBytes } from "../testing/contract.js";
import { encodeCardFrame, xorChecksum } from "./frame.js";

describe("EM4100 frame encoding (reference 3.5)", () => {
  it("computes the XOR checksum of the 5 data bytes", () => {
    expect(xorChecksum(hexBytes("4500A2B3C4"))).toBe(0x90);
    expect(xorChecksum(hexBytes("0F0184F07A"))).toBe(0x00);
  });

  it("encodes the RDM6300 and ID-12LA frames byte for byte", () => {
    expect(encodeCardFrame("4500A2B3C4")).toEqual(
      hexBytes("02 34 35 30 30 41 32 42 33 43 34 39 30 03"),
    );
    expect(encodeCardFrame("4500a2b3c4", "id12la")).toEqual(
      hexBytes("02 34 35 30 30 41 32 42 33 43 34 39 30 0D 0A 03"),
    );
    expect(encodeCardFrame("0F0184F07A", "rdm6300")).toEqual(
      hexBytes("02 30 46 30 31 38 34 46 30 37 41 30 30 03"),
    );
  });

  it("refuses a card id that is not 10 hex digits, saying what it got", () => {
    expect(() => encodeCardFrame("4500A2B3C")).toThrow(
      'EM4100 card id must be 10 hex digits, got "4500A2B3C"',
    );
    expect(() => encodeCardFrame("4500A2B3CG")).toThrow(RangeError);
  });
});
