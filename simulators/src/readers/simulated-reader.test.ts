import type { ProtocolName, Read, ReaderSettings } from "@comptoir/device";
import { protocols, ReaderSession, type ReaderStateChange } from "@comptoir/device";
import { afterEach, describe, expect, it } from "vitest";
import { simulatedMockPort } from "./mock-port.js";
import { fieldTags, loadScenario, parseScenario, type ScenarioInput } from "./scenario.js";
import { sgtin96 } from "./sgtin.js";
import type { NoiseOptions } from "./simulated-reader.js";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

let sessions: ReaderSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.stop()));
  sessions = [];
});

function until<T>(check: () => T | undefined | false, what: string, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const value = check();
      if (value) return resolve(value);
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

let portCount = 0;

function run(
  protocol: ProtocolName,
  scenario: ScenarioInput,
  settings: ReaderSettings = { antennas: [1] },
  noise?: NoiseOptions,
) {
  const path = `/dev/serial/by-id/usb-sim-${protocol}-${++portCount}`;
  const port = simulatedMockPort(path, {
    protocol,
    scenario: parseScenario(scenario),
    rate: 20_000,
    ...(noise ? { noise } : {}),
  });
  const session = new ReaderSession({
    id: `sim-${protocol}`,
    protocol: protocols[protocol],
    url: `serial://${path}`,
    settings,
    binding: port.binding,
    backoff: { initialMs: 10, maxMs: 50, jitter: 0 },
  });
  sessions.push(session);
  const reads: Read[] = [];
  const states: ReaderStateChange[] = [];
  const epcs = new Set<string>();
  session.on("read", (read) => {
    reads.push(read);
    epcs.add(read.epc);
  });
  session.on("state", (change) => states.push(change));
  session.start();
  return { port, session, reads, states, epcs };
}

const population = (count: number, extra: Record<string, unknown> = {}): ScenarioInput => ({
  populations: [{ count, gtin: "80614141123458", rate: 20, ...extra }],
});

describe("sgtin96", () => {
  it("encodes the reference's worked examples", () => {
    expect(sgtin96("80614141123458", 6789, 7, 3)).toBe("3074257BF7194E4000001A85");
    expect(sgtin96("08412345678905", 1234567, 6, 1)).toBe("303B3584822A94800012D687");
    expect(sgtin96("04012345123456", 42, 7, 1)).toBe("3034F4E4E40C0E400000002A");
  });
});

describe("scenario files", () => {
  it("lists every problem by path", () => {
    expect(() =>
      parseScenario({ items: [{ gtin: "80614141123459", serial: 1 }, { epc: "12345" }] }),
    ).toThrow(/items\[0\]\.gtin: has a wrong check digit.*items\[1\]/);
    expect(() => parseScenario({})).toThrow(/needs items or populations/);
  });
});

describe("simulated readers behind the mock binding", () => {
  it("thingmagic: answers the real start-up dialogue byte for byte, streams, and acknowledges stop", async () => {
    const sim = run("thingmagic", population(50), { region: "EU3", power: 27, antennas: [1] });
    await sim.session.whenReading();
    expect(Buffer.concat(sim.port.written[0] ?? [])).toEqual(
      hex(`FF 03 2F 00 00 02 5E 86  FF 00 03 1D 0C
           FF 01 97 08 4B B5
           FF 02 92 0A 8C 4B D5
           FF 02 93 00 05 51 7D
           FF 03 91 02 01 01 42 C5
           FF 03 9A 01 0C 00 A3 5D
           FF 10 2F 00 00 01 22 00 00 05 07 22 10 00 1B 03 E8 01 FF DD 2B`),
    );
    await until(() => sim.epcs.size === 50, "50 distinct tags");
    expect(sim.epcs.has("3034257BF7194E4000000001")).toBe(true);
    expect(sim.reads[0]?.identity).toMatchObject({ scheme: "sgtin-96", gtin: "80614141123458" });
    const reader = sim.port.reader;
    await sim.session.stop();
    expect(reader?.streaming).toBe(false);
    expect(sim.states.at(-1)?.state).toBe("stopped");
  });

  it("r2000: runs the dialogue, then keeps reading round after round through continuation", async () => {
    const sim = run("r2000", population(40), { power: 30, antennas: [1] });
    await sim.session.whenReading();
    const written = () => Buffer.concat(sim.port.written[0] ?? []);
    expect(written().subarray(0, 18)).toEqual(
      hex("A0 04 FF 74 00 E9  A0 04 FF 76 1E C9  A0 04 FF 89 01 D3"),
    );
    await until(() => sim.epcs.size === 40, "40 distinct tags");
    // Each round ends with a summary; the session re-sends 0x89 after each.
    await until(() => (sim.port.reader?.stats.rounds ?? 0) >= 5, "five rounds");
    const inventories = written().toString("hex").split("a004ff8901d3").length - 1;
    expect(inventories).toBeGreaterThanOrEqual(5);
  });

  it.each(["em4100", "line"] as const)(
    "%s: streams from power-up with an empty dialogue",
    async (protocol) => {
      const sim = run(protocol, population(30));
      await sim.session.whenReading();
      await until(() => sim.epcs.size === 30, "30 distinct tags");
      expect(sim.port.written[0] ?? []).toHaveLength(0);
    },
  );

  it("reads every tag through garbage, bad checksums and split frames, and counts what it skipped", async () => {
    const sim = run(
      "thingmagic",
      population(60),
      { antennas: [1] },
      {
        garbage: 0.2,
        badChecksum: 0.2,
        split: true,
      },
    );
    await until(() => sim.epcs.size === 60, "60 distinct tags");
    const skipped = sim.session.skipped;
    expect((skipped?.garbage ?? 0) + (skipped?.["bad checksum"] ?? 0)).toBeGreaterThan(0);
    expect([...sim.epcs].every((epc) => epc.startsWith("3034257BF7194E40000000"))).toBe(true);
  });

  it("survives an injected disconnect: degraded, reopened when the port is back, reading again", async () => {
    const sim = run("r2000", population(20), { antennas: [1] }, { disconnectAfter: 30 });
    await until(() => sim.states.some((s) => s.state === "degraded"), "degraded");
    expect(sim.states.find((s) => s.state === "degraded")?.detail).toMatch(/disconnected/);
    const before = sim.reads.length;
    sim.port.replug();
    await until(() => sim.port.written.length === 2 && sim.session.state === "reading", "reopened");
    await until(() => sim.reads.length > before + 10, "reads after the reopen");
  });
});

describe("the example scenario", () => {
  it("is valid, and every protocol streams it (an EM4100 card id included)", async () => {
    const path = new URL("./examples/dock-door.yaml", import.meta.url).pathname;
    const scenario = await loadScenario(path);
    expect(scenario).toMatchObject({ loop: true, seed: 42 });
    const epcs = new Set(fieldTags(scenario, () => 0.5).map((tag) => tag.epc));
    expect(epcs.size).toBe(51);
    expect(epcs.has(sgtin96("80614141123458", 6789))).toBe(true);
    for (const protocol of ["thingmagic", "r2000", "em4100", "line"] as const) {
      const sim = run(protocol, scenario, { antennas: [1, 2] });
      await sim.session.whenReading();
      await until(() => sim.epcs.size > 0, `${protocol} reads`);
    }
  });
});
