import { describe, expect, it } from "vitest";
import { epcisSchemaErrors } from "../testing/epcis-schema.js";

/** The reference's minimal valid document (section 7.3), one event, changed case by case. */
const documentWith = (event: Record<string, unknown>) => ({
  "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
  type: "EPCISDocument",
  schemaVersion: "2.0",
  creationDate: "2025-03-01T08:15:02.120Z",
  epcisBody: {
    eventList: [
      {
        type: "ObjectEvent",
        eventTime: "2025-03-01T09:15:00.000+01:00",
        eventTimeZoneOffset: "+01:00",
        epcList: ["urn:epc:id:sgtin:4012345.012345.42"],
        action: "OBSERVE",
        bizStep: "receiving",
        disposition: "in_progress",
        readPoint: { id: "urn:epc:id:sgln:4012345.00001.dock1" },
        ...event,
      },
    ],
  },
});

// The tests of the export trust this validator: here it is shown to refuse what it must.
describe("GS1's EPCIS 2.0 JSON schema (the fixture)", () => {
  it("takes the reference's valid document", () => {
    expect(epcisSchemaErrors(documentWith({}))).toEqual([]);
  });

  it.each([
    ["a raw hex EPC", { epcList: ["3034F4E4E40C0E400000002A"] }, "/epcList/0"],
    ["a bizStep CBV does not have", { bizStep: "inventory_check" }, "/bizStep"],
    ["the CBV 1.x URN form", { bizStep: "urn:epcglobal:cbv:bizstep:receiving" }, "/bizStep"],
    ["a disposition CBV does not have", { disposition: "on_shelf" }, "/disposition"],
    ["no time zone offset", { eventTimeZoneOffset: undefined }, ""],
    ["an offset past +14:00", { eventTimeZoneOffset: "+15:00" }, "/eventTimeZoneOffset"],
    ["an action EPCIS does not have", { action: "MOVE" }, "/action"],
    [
      "the same EPC twice",
      { epcList: ["urn:epc:id:sgtin:4012345.012345.42", "urn:epc:id:sgtin:4012345.012345.42"] },
      "/epcList",
    ],
  ])("refuses %s", (_name, change, where) => {
    const errors = epcisSchemaErrors(JSON.parse(JSON.stringify(documentWith(change))));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((error) => error.startsWith(`/epcisBody/eventList/0${where}`))).toBe(true);
  });
});
