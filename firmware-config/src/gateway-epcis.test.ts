import { describe, expect, it } from "vitest";
import { GatewayConfigSchema } from "./gateway.js";

const gateway = { gateway: { site: "lyon-1" } };
const problems = (epcis: unknown) => {
  const result = GatewayConfigSchema.safeParse({ ...gateway, epcis });
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("gateway config: epcis", () => {
  it("is optional, and takes a GLN split into prefix and reference, zones and a base URI", () => {
    expect(GatewayConfigSchema.parse(gateway).epcis).toEqual({ zones: {} });
    expect(
      problems({
        companyPrefix: "4012345",
        locationReference: "00001",
        zones: { dock: "urn:epc:id:sgln:4012345.00001.dock1" },
        baseUri: "https://erp.example.fr/epcis/",
      }),
    ).toEqual([]);
  });

  it("names each problem where it is", () => {
    // The missing half is named.
    expect(problems({ companyPrefix: "4012345" })).toEqual([
      "epcis.locationReference: give both companyPrefix and locationReference (the GLN without its check digit)",
    ]);
    expect(problems({ companyPrefix: "4012345", locationReference: "001" })).toEqual([
      "epcis.locationReference: must have 5 digits: with companyPrefix they make the 12 digits of the GLN before its check digit",
    ]);
    expect(
      problems({ zones: { dock: "dock 1", "bad zone": "urn:x:y" }, baseUri: "https://x.fr/e" }),
    ).toEqual([
      expect.stringMatching(/^epcis\.zones\.dock: must be a URI/),
      expect.stringMatching(/^epcis\.zones\.bad zone: /),
      "epcis.baseUri: must end with /",
    ]);
  });
});
