import { describe, expect, it } from "vitest";
import type { ReaderMessage } from "../types.js";
import {
  regionCode,
  setAntennaListCommand,
  setReadPowerCommand,
  setRegionCommand,
  startReadingCommand,
  startup,
  stop,
} from "./commands.js";
import { ThingMagicDecoder } from "./parser.js";
import { bytesOf, COMMAND_VECTORS as C, REPLY_VECTORS as R, TAG_VECTORS } from "./vectors.js";

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();
const decodeOne = (hex: string): ReaderMessage => {
  const [m] = new ThingMagicDecoder().push(bytesOf(hex));
  if (!m) throw new Error(`no message in ${hex}`);
  return m;
};

describe("ThingMagic host commands", () => {
  it("builds the reference command frames", () => {
    expect(setRegionCommand(regionCode("na"))).toEqual(bytesOf(C.setRegionNA));
    expect(setRegionCommand(regionCode("EU3"))).toEqual(bytesOf(C.setRegionEU3));
    expect(setRegionCommand(regionCode("NA2"))).toEqual(bytesOf(C.setRegionNA2));
    expect(setReadPowerCommand(30)).toEqual(bytesOf(C.readPower30));
    expect(setReadPowerCommand(5)).toEqual(bytesOf(C.readPower5));
    expect(setAntennaListCommand([1])).toEqual(bytesOf(C.setAntennaList1));
    expect(startReadingCommand()).toEqual(bytesOf(C.startReadAllMetadata));
    expect(startReadingCommand(0)).toEqual(bytesOf(C.startReadNoMetadata));
    expect(stop()).toEqual(bytesOf(C.stopRead));
  });

  it("says which regions exist when the config names an unknown one", () => {
    expect(() => regionCode("MARS")).toThrow(
      /unknown ThingMagic region "MARS" — use one of NA, EU/,
    );
  });

  it("runs the stock dialogue in order with the reference bytes", () => {
    const steps = startup({ region: "NA", power: 27, antennas: [1] });
    expect(steps.map((s) => [s.name, hexOf(s.bytes)])).toEqual([
      ["stop reading, get version", hexOf(bytesOf(C.stopRead)) + hexOf(bytesOf(C.getVersion))],
      ["set region", hexOf(bytesOf(C.setRegionNA))],
      ["set read power", hexOf(bytesOf(C.readPower27))],
      ["set protocol Gen2", hexOf(bytesOf(C.setGen2))],
      ["set antennas", hexOf(bytesOf(C.setAntennaList1))],
      ["disable read filter", hexOf(bytesOf(C.disableReadFilter))],
      ["start continuous read", hexOf(bytesOf(C.startReadAllMetadata))],
    ]);
  });

  it("skips region and power when the config leaves them to the module", () => {
    const names = startup({ antennas: [1, 2] }).map((s) => s.name);
    expect(names).not.toContain("set region");
    expect(names).not.toContain("set read power");
    const antennas = startup({ antennas: [1, 2] }).find((s) => s.name === "set antennas");
    expect(antennas && hexOf(antennas.bytes)).toBe(hexOf(setAntennaListCommand([1, 2])));
    // LEN 5, opcode 0x91, option 02 (search list), then TX/RX pairs 1/1 and 2/2.
    expect(hexOf(setAntennaListCommand([1, 2])).slice(0, 16)).toBe("FF05910201010202");
  });

  it("recognises each step's answer, a refusal and an unrelated frame", () => {
    const [hello, region] = startup({ region: "PRC", antennas: [1] });
    expect(hello?.answer(decodeOne(R.stopAck))).toBeUndefined();
    expect(hello?.answer(decodeOne(R.versionM7E))).toBe("done");
    expect(region?.answer(decodeOne(R.setRegionOk))).toBe("done");
    expect(
      region?.answer({ kind: "reply", command: 0x97, status: 0x010b, payload: new Uint8Array() }),
    ).toEqual({
      failed: "invalid region (0x010b)",
    });
    expect(region?.answer(decodeOne(R.setAntennaOk))).toBeUndefined();
  });

  it("takes the start ack, or a first tag or keep-alive, as proof that streaming began", () => {
    const start = startup({ antennas: [1] }).at(-1);
    expect(start?.answer(decodeOne(R.stopAck))).toBeUndefined();
    expect(start?.answer(decodeOne(R.startAck))).toBe("done");
    expect(start?.answer(decodeOne(R.keepAlive))).toBe("done");
    expect(start?.answer(decodeOne((TAG_VECTORS[0] as { hex: string }).hex))).toBe("done");
    expect(start?.answer({ kind: "error", command: 0x2f, status: 0x0105, message: "" })).toEqual({
      failed: "invalid parameter value (0x0105)",
    });
  });
});
