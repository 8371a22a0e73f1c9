import { describe, expect, it } from "vitest";
import { epcisNames, gs1Uri } from "./identifiers.js";
import { zonedTime } from "./time-zone.js";

describe("EPCIS identifiers", () => {
  it("gives the pure-identity URI of the reference's SGTIN, SSCC and GRAI vectors", () => {
    expect(gs1Uri("3074257BF7194E4000001A85")).toBe("urn:epc:id:sgtin:0614141.812345.6789");
    expect(gs1Uri("303B3584822A94800012D687")).toBe("urn:epc:id:sgtin:841234.0567890.1234567");
    expect(gs1Uri("3178E61C883950F59A000000")).toBe("urn:epc:id:sscc:235634.35321345434");
    expect(gs1Uri("3314257BF40C0E400000162E")).toBe("urn:epc:id:grai:0614141.12345.5678");
  });

  it("has none for what is not a 96-bit GS1 EPC, which then gets the site's URI", () => {
    for (const hex of [
      "E2801160600002084D7C31A1", // a factory EPC
      "307C257BF7194E4000001A85", // partition 7: epc-tds throws
      "3074257BF7194E4000001A8", // 23 digits: epc-tds would decode it silently
      "3074257BF7194E4000001A8500", // 26 digits
    ])
      expect(gs1Uri(hex), hex).toBeNull();
    const names = epcisNames({ site: "lyon 1" });
    expect(names.epc("E2801160600002084D7C31A1")).toBe(
      "urn:comptoir:lyon%201:tag:E2801160600002084D7C31A1",
    );
  });

  it("makes the GLN's check digit as GS1 does (their example 0614141073467)", () => {
    const names = epcisNames({ site: "s", companyPrefix: "0614141", locationReference: "07346" });
    expect(names.ownDocument("po", "1152")).toBe("urn:epcglobal:cbv:bt:0614141073467:1152");
    expect(names.site()).toBe("urn:epc:id:sgln:0614141.07346.0");
  });

  it("names a zone by its mapped URI, else as an SGLN extension when it fits, else under the site", () => {
    const names = epcisNames({
      site: "s",
      companyPrefix: "0614141",
      locationReference: "07346",
      zones: { dock: "urn:epc:id:sgln:0614141.07346.D1" },
      baseUri: "https://erp.example.fr/epcis/",
    });
    expect(names.zone("dock")).toBe("urn:epc:id:sgln:0614141.07346.D1");
    expect(names.zone("shelf-A")).toBe("urn:epc:id:sgln:0614141.07346.shelf-A");
    const long = "aisle-12-bay-4-level-3";
    expect(names.zone(long)).toBe(`https://erp.example.fr/epcis/zone/${long}`);
    expect(names.supplierDocument("despatch", "Martin & fils", "DA/9")).toBe(
      "https://erp.example.fr/epcis/supplier/Martin%20%26%20fils/despatch/DA%2F9",
    );
  });

  it("writes event times with the site zone's offset at that instant", () => {
    expect(zonedTime("2026-03-29T00:59:59.000Z", "Europe/Paris")).toEqual({
      time: "2026-03-29T01:59:59.000+01:00",
      offset: "+01:00",
    });
    // One second later the clocks went forward.
    expect(zonedTime("2026-03-29T01:00:00.000Z", "Europe/Paris")).toEqual({
      time: "2026-03-29T03:00:00.000+02:00",
      offset: "+02:00",
    });
    expect(zonedTime("2026-07-01T08:15:00.000Z", "America/St_Johns").offset).toBe("-02:30");
    expect(zonedTime("2026-07-01T08:15:00.000Z", undefined).offset).toBe("+00:00");
  });
});
