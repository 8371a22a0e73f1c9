import { describe, expect, it } from "vitest";
import { decodeIdentity, toRead } from "./identity.js";

describe("decodeIdentity (reference 5.5 and 5.6 vectors)", () => {
  it("decodes SGTIN-96 to GTIN-14, padded fields, serial and pure-identity URI", () => {
    expect(decodeIdentity("3074257BF7194E4000001A85")).toEqual({
      scheme: "sgtin-96",
      filter: 3,
      companyPrefix: "0614141",
      itemReference: "812345",
      serial: "6789",
      gtin: "80614141123458",
      uri: "urn:epc:id:sgtin:0614141.812345.6789",
    });
    expect(decodeIdentity("303B3584822A94800012D687")).toEqual({
      scheme: "sgtin-96",
      filter: 1,
      companyPrefix: "841234",
      itemReference: "0567890",
      serial: "1234567",
      gtin: "08412345678905",
      uri: "urn:epc:id:sgtin:841234.0567890.1234567",
    });
    expect(decodeIdentity("3034f4e4e40c0e400000002a")).toMatchObject({
      gtin: "04012345123456",
      serial: "42",
      uri: "urn:epc:id:sgtin:4012345.012345.42",
    });
  });

  it("decodes SSCC-96 and GRAI-96 (with the AI 8003 filler digit)", () => {
    expect(decodeIdentity("3178E61C883950F59A000000")).toEqual({
      scheme: "sscc-96",
      filter: 3,
      companyPrefix: "235634",
      serialReference: "35321345434",
      sscc: "323563453213454346",
      uri: "urn:epc:id:sscc:235634.35321345434",
    });
    expect(decodeIdentity("3314257BF40C0E400000162E")).toEqual({
      scheme: "grai-96",
      filter: 0, // 0x14: filter bits 000, partition 101

      companyPrefix: "0614141",
      assetType: "12345",
      serial: "5678",
      grai: "006141411234525678",
      uri: "urn:epc:id:grai:0614141.12345.5678",
    });
  });

  it("leaves other EPCs raw and never throws on bad input", () => {
    const bad = [
      "E2801160600002054CC2096F", // factory EPC
      "000000000000000000001545", // all-zero test EPC
      "4500A2B3C4", // EM4100 card id
      "3074257BF7194E4000001A8", // 23 digits: epc-tds would decode it silently
      "3074257BF7194E4000001A8500", // too long
      "307C257BF7194E4000001A85", // partition 7: epc-tds throws a TypeError
      "3074257BF7194E4000001AZZ",
      "",
      "3674257BF7194E4000001A85", // SGTIN-198 header, 96 bits
    ];
    for (const epc of bad) expect(decodeIdentity(epc), epc).toBeUndefined();
    expect(decodeIdentity(undefined as unknown as string)).toBeUndefined();
  });

  it("gives the same identity on repeated reads (cached, frozen)", () => {
    const first = decodeIdentity("3074257BF7194E4000001A85");
    expect(decodeIdentity("3074257bf7194e4000001a85")).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe("toRead", () => {
  const at = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6));

  it("carries the report's metadata, the identity, host time in ISO UTC and the reader name", () => {
    const read = toRead(
      {
        epc: "3074257BF7194E4000001A85",
        antenna: 2,
        rssi: -60,
        frequency: 923200,
        readerTime: 295,
        pc: "3000",
      },
      "dock-1",
      at,
    );
    expect(read).toEqual({
      epc: "3074257BF7194E4000001A85",
      identity: decodeIdentity("3074257BF7194E4000001A85"),
      antenna: 2,
      rssi: -60,
      frequency: 923200,
      readerTime: 295,
      hostTime: "2025-01-02T03:04:05.006Z",
      reader: "dock-1",
    });
    expect(read.identity?.scheme).toBe("sgtin-96");
    expect(Object.keys(read)).toEqual([
      "epc",
      "identity",
      "antenna",
      "rssi",
      "frequency",
      "readerTime",
      "hostTime",
      "reader",
    ]);
  });

  it("has no identity nor absent metadata keys for a raw EPC", () => {
    const read = toRead({ epc: "4500A2B3C4", antenna: 1 }, "counter", at);
    expect(read).toEqual({
      epc: "4500A2B3C4",
      antenna: 1,
      hostTime: "2025-01-02T03:04:05.006Z",
      reader: "counter",
    });
    expect(Object.keys(read)).toEqual(["epc", "antenna", "hostTime", "reader"]);
  });
});
