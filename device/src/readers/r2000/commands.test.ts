import { describe, expect, it } from "vitest";
import type { ReaderMessage } from "../types.js";
import {
  continueAfter,
  getFirmwareVersionCommand,
  realTimeInventoryCommand,
  resetCommand,
  sessionInventoryCommand,
  setOutputPowerCommand,
  setWorkAntennaCommand,
  startup,
} from "./commands.js";
import { checksum, encodeFrame } from "./frame.js";
import { R2000Decoder } from "./parser.js";
import { encodeRoundEnd } from "./record.js";
import { bytesOf, COMMAND_VECTORS as C, REPLY_VECTORS as R, TAG_VECTORS } from "./vectors.js";

const hexOf = (b: Uint8Array | undefined): string =>
  Buffer.from(b ?? [])
    .toString("hex")
    .toUpperCase();
const decodeOne = (hex: string): ReaderMessage => {
  const [m] = new R2000Decoder().push(bytesOf(hex));
  if (!m) throw new Error(`no message in ${hex}`);
  return m;
};

describe("R2000 frames and host commands", () => {
  it("checksums every reference frame to a zero byte sum", () => {
    const all = [...Object.values(C), ...Object.values(R), ...TAG_VECTORS.map((v) => v.hex)];
    for (const hex of all) {
      const f = bytesOf(hex);
      expect(f.length).toBe((f[1] as number) + 2);
      expect(checksum(f, 0, f.length - 1)).toBe(f[f.length - 1]);
    }
  });

  it("builds the reference command frames", () => {
    expect(getFirmwareVersionCommand()).toEqual(bytesOf(C.getFirmwareBroadcast));
    expect(realTimeInventoryCommand()).toEqual(bytesOf(C.inventoryRepeat1Broadcast));
    expect(realTimeInventoryCommand(0xff, 0x01)).toEqual(bytesOf(C.inventoryRepeatFFAddress1));
    expect(sessionInventoryCommand(1, 0, 0xff, 0x01)).toEqual(bytesOf(C.sessionS1TargetARepeatFF));
    expect(sessionInventoryCommand(2, 1, 1)).toEqual(bytesOf(C.sessionS2TargetBRepeat1Broadcast));
    expect(setWorkAntennaCommand(1, 0x01)).toEqual(bytesOf(C.setWorkAntenna1));
    expect(setOutputPowerCommand(30, 0x01)).toEqual(bytesOf(C.setOutputPower30));
    expect(getFirmwareVersionCommand(0x01)).toEqual(bytesOf(C.getFirmware));
    expect(resetCommand(0x01)).toEqual(bytesOf(C.reset));
    expect(encodeFrame(0x72, [1, 0])).toEqual(bytesOf(R.firmware10));
  });

  it("runs work antenna, output power, then the first inventory", () => {
    const steps = startup({ power: 30, antennas: [2, 3] });
    expect(steps.map((s) => [s.name, hexOf(s.bytes)])).toEqual([
      ["set work antenna", "A004FF7401E8"],
      ["set output power", "A004FF761EC9"],
      ["start real-time inventory", hexOf(bytesOf(C.inventoryRepeat1Broadcast))],
    ]);
    expect(startup({ antennas: [] }).map((s) => s.name)).toEqual([
      "set work antenna",
      "start real-time inventory",
    ]);
  });

  it("recognises each step's answer, refusal, and the inventory's first frame", () => {
    const [antenna, power, inventory] = startup({ power: 30, antennas: [1] });
    expect(antenna?.answer(decodeOne("A0 04 01 74 10 D7"))).toBe("done");
    expect(antenna?.answer(decodeOne("A0 04 01 74 47 A0"))).toEqual({
      failed: "invalid antenna id (0x47)",
    });
    expect(power?.answer(decodeOne("A0 04 01 74 10 D7"))).toBeUndefined();
    expect(inventory?.answer(decodeOne(R.firmware10))).toBeUndefined();
    expect(inventory?.answer(decodeOne((TAG_VECTORS[0] as { hex: string }).hex))).toBe("done");
    expect(inventory?.answer(decodeOne(R.summaryCaptured))).toBe("done");
    expect(inventory?.answer(decodeOne(R.antennaMissing))).toEqual({
      failed: "antenna missing: check the antenna and its cable (0x22)",
    });
  });
});

describe("R2000 inventory loop (continueAfter)", () => {
  it("re-sends 0x89 after each round summary with one antenna", () => {
    expect(continueAfter(decodeOne(R.summaryCaptured), { antennas: [1] })).toEqual(
      bytesOf(C.inventoryRepeat1Broadcast),
    );
  });

  it("moves to the next configured antenna after a summary, wrapping around", () => {
    const settings = { antennas: [1, 3, 4] };
    const after = (antenna: number) =>
      hexOf(
        continueAfter(
          decodeOne(hexOf(encodeRoundEnd({ antenna, readRate: 1, totalRead: 1 }))),
          settings,
        ),
      );
    const inv = hexOf(bytesOf(C.inventoryRepeat1Broadcast));
    expect(after(1)).toBe(hexOf(setWorkAntennaCommand(3)) + inv);
    expect(after(3)).toBe(hexOf(setWorkAntennaCommand(4)) + inv);
    expect(after(4)).toBe(hexOf(setWorkAntennaCommand(1)) + inv);
  });

  it("continues after 'no tag', stops after a real error, ignores tags and replies", () => {
    expect(continueAfter(decodeOne("A0 04 01 89 36 9C"), { antennas: [1] })).toEqual(
      bytesOf(C.inventoryRepeat1Broadcast),
    );
    expect(continueAfter(decodeOne(R.antennaMissing), { antennas: [1] })).toBeUndefined();
    expect(
      continueAfter(decodeOne((TAG_VECTORS[0] as { hex: string }).hex), { antennas: [1] }),
    ).toBeUndefined();
    expect(continueAfter(decodeOne(R.firmware10), { antennas: [1] })).toBeUndefined();
  });
});
