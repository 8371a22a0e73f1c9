import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

/** The reference's SparkFun full-metadata ThingMagic record (§1.9), CRC 56 1D. */
const TM_RECORD = `FF 28 22 00 00 10 00 1B 01 FF 01 01 C4 11 0E 16 40 00 00 01 27 00 00 05 00 00 0F 00 80 30 00
00 00 00 00 00 00 00 00 00 00 15 45 E9 4A 56 1D`;
/** A simulated R2000 tag (channel 3, antenna 1, RSSI 0x45) and a round summary (§2.9). */
const R2000_TAG = "A0 13 01 89 0C 30 00 30 34 02 42 20 1D 88 40 00 9B 1A 2F 45 B1";
const R2000_SUMMARY = "A0 0A 01 89 00 00 78 00 00 01 68 EB";

let dir: string;
const file = async (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "comptoir-readers-cli-"));
});

describe("comptoir reader decode", () => {
  it("decodes hex text into one JSON line per read, counting skipped bytes by reason", async () => {
    // Garbage first, then the record, then the same record with a corrupted CRC, then it again.
    const bad = TM_RECORD.replace(/56 1D$/, "56 1E");
    const path = await file(
      "tm.hex",
      `12 34\n${TM_RECORD}\n${bad}\n0x${TM_RECORD.replace(/\s+/g, ",0x")}\n`,
    );
    const run = await runCli(["reader", "decode", "--protocol", "thingmagic", "--hex", path]);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        epc: "000000000000000000001545",
        antenna: 1,
        rssi: -60,
        frequency: 923200,
        readerTime: 295,
      },
      {
        epc: "000000000000000000001545",
        antenna: 1,
        rssi: -60,
        frequency: 923200,
        readerTime: 295,
      },
    ]);
    expect(run.stderr).toMatch(
      /^2 reads, 0 other frames from 143 bytes; skipped: .*garbage \d+, bad checksum \d+\n$/,
    );
  });

  it("decodes a raw capture, with the GS1 identity of SGTIN EPCs", async () => {
    const raw = Buffer.from(`${R2000_TAG} ${R2000_SUMMARY}`.replace(/\s+/g, ""), "hex");
    const run = await runCli([
      "reader",
      "decode",
      "--protocol",
      "r2000",
      await file("r2000.bin", raw),
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      epc: "30340242201D8840009B1A2F",
      identity: {
        scheme: "sgtin-96",
        filter: 1,
        companyPrefix: "0037000",
        itemReference: "030241",
        serial: "10164783",
        gtin: "00037000302414",
        uri: "urn:epc:id:sgtin:0037000.030241.10164783",
      },
      antenna: 1,
      rssi: -60,
      frequency: 866500,
    });
    expect(run.stderr).toBe("1 reads, 1 other frames from 33 bytes; skipped: none\n");
  });

  it("fails with one line when nothing in the input is a frame of that protocol", async () => {
    const hexText = await file("r2000.txt", `${R2000_TAG}\n`);
    const run = await runCli(["reader", "decode", "--protocol", "r2000", hexText]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /comptoir reader decode: no valid r2000 frame in 63 bytes — another protocol, or hex text \(add --hex\)\?\n$/,
    );
  });

  it("reports bad hex with its line, and a missing file", async () => {
    const path = await file("bad.hex", "A0 03\nA0 0G\n");
    const bad = await runCli(["reader", "decode", "--protocol", "r2000", "--hex", path]);
    expect(bad).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/bad\.hex:2: "G" is not a hex digit/),
    });
    const missing = await runCli([
      "reader",
      "decode",
      "--protocol",
      "r2000",
      join(dir, "nope.bin"),
    ]);
    expect(missing).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/nope\.bin: no such file\n$/),
    });
  });
});

describe("comptoir reader decode, as its own process", () => {
  it("reads stdin when no FILE is given", () => {
    const bin = join(import.meta.dirname, "..", "bin", "comptoir.mjs");
    const run = spawnSync(process.execPath, [bin, "reader", "decode", "--protocol", "em4100"], {
      input: Buffer.from("\x024500A2B3C490\x03junk\x020F0184F07A00\x03", "latin1"),
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(
      run.stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).epc),
    ).toEqual(["4500A2B3C4", "0F0184F07A"]);
    expect(run.stderr).toMatch(/^2 reads, 0 other frames from 32 bytes; skipped: garbage \d+\n$/);
  });
});

describe("reader commands: bad usage exits 2 with the usage line", () => {
  it.each([
    [["reader", "decode", "x.bin"], /--protocol is required/],
    [
      ["reader", "decode", "--protocol", "rfid9000", "x.bin"],
      /unknown reader protocol "rfid9000" — use one of: thingmagic, r2000, em4100, line/,
    ],
    [["reader", "watch", "--protocol", "r2000"], /--port is required/],
    [
      ["reader", "watch", "--protocol", "r2000", "--port", "/dev/ttyUSB0"],
      /--port: "\/dev\/ttyUSB0" is not a reader URL/,
    ],
    [
      ["reader", "watch", "--protocol", "thingmagic", "--port", "tcp://h:1", "--antennas", "1,x"],
      /--antennas must be port numbers/,
    ],
    [
      ["reader", "watch", "--protocol", "thingmagic", "--port", "tcp://h:1", "--region", "MARS"],
      /unknown ThingMagic region "MARS"/,
    ],
    [
      ["sim", "reader", "--protocol", "r2000", "--listen", "serial:///dev/ttyUSB0"],
      /--listen must be tcp:\/\/HOST:PORT/,
    ],
    [
      ["sim", "reader", "--protocol", "r2000", "--listen", "tcp://127.0.0.1:0", "--rate", "fast"],
      /--rate must be a whole number/,
    ],
    [
      ["sim", "reader", "--protocol", "r2000", "--listen", "tcp://127.0.0.1:0", "--garbage", "2"],
      /--garbage must be a probability/,
    ],
  ])("%j", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(new RegExp(`usage: comptoir ${args[0]} ${args[1]} `));
  });
});

describe("reader commands: failures exit 1 with one clear line", () => {
  it("reader watch on a port that does not exist lists the ports that do", async () => {
    const run = await runCli([
      "reader",
      "watch",
      "--protocol",
      "em4100",
      "--port",
      "serial:///dev/ttyUSB-comptoir-none",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /comptoir reader watch: cannot open \/dev\/ttyUSB-comptoir-none: no such port — (ports present: .*|no serial ports found); check the cable and the path in the config\n$/,
    );
  });

  it("sim reader with an invalid scenario lists every problem by path", async () => {
    const path = await file("bad.yaml", "populations:\n  - count: 0\n    gtin: '123'\n");
    const run = await runCli([
      "sim",
      "reader",
      "--protocol",
      "line",
      "--listen",
      "tcp://127.0.0.1:0",
      "--scenario",
      path,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /bad\.yaml is invalid: populations\[0\]\.count: .*; populations\[0\]\.gtin: must be a 14-digit GTIN/,
    );
  });
});
