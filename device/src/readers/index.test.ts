import { describe, expect, it } from "vitest";
import { em4100 } from "./em4100/index.js";
import { PROTOCOL_NAMES, protocolByName, protocols } from "./index.js";
import { line } from "./line/index.js";

describe("reader protocol registry", () => {
  it("registers each protocol under its own name", () => {
    for (const [key, protocol] of Object.entries(protocols)) expect(protocol.name).toBe(key);
    expect(protocolByName("em4100")).toBe(em4100);
    expect(protocolByName("line")).toBe(line);
    expect(protocolByName("thingmagic").defaultBaud).toBe(115200);
    expect(protocolByName("r2000").defaultBaud).toBe(115200);
    expect(Object.keys(protocols).sort()).toEqual(["em4100", "line", "r2000", "thingmagic"]);
  });

  it("gives stream-only readers an empty start-up dialogue and their out-of-the-box baud", () => {
    expect(em4100.defaultBaud).toBe(9600);
    expect(em4100.startup({ antennas: [1] })).toEqual([]);
    expect(line.startup({ antennas: [1] })).toEqual([]);
    expect(em4100.stop).toBeUndefined();
  });

  it("refuses an unknown name and lists the valid ones", () => {
    expect(PROTOCOL_NAMES).toEqual(["thingmagic", "r2000", "em4100", "line"]);
    expect(() => protocolByName("EM4100")).toThrow(
      'unknown reader protocol "EM4100" — use one of: thingmagic, r2000, em4100, line (readers[].protocol in the node config)',
    );
    expect(() => protocolByName("")).toThrow(RangeError);
    expect(() => protocolByName("toString")).toThrow(RangeError);
  });
});
