import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProtocolName } from "@comptoir/device";
import { protocols, ReaderSession, type ReaderStateChange } from "@comptoir/device";
import { cardIdOf, sgtin96 } from "@comptoir/simulators";
import { afterEach, describe, expect, it } from "vitest";

const BIN = join(import.meta.dirname, "..", "bin", "comptoir.mjs");
const GTIN = "80614141123458";
const TAGS = 1000;

const children: ChildProcess[] = [];
const sessions: ReaderSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.stop()));
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Starts `comptoir ARGS` in its own process and resolves with its first stdout line. */
function start(
  args: string[],
): Promise<{ child: ChildProcess; firstLine: string; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stderr?.on("data", (chunk) => (err += chunk));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const newline = out.indexOf("\n");
      if (newline >= 0) resolve({ child, firstLine: out.slice(0, newline), stderr: () => err });
    });
    child.once("exit", (code) =>
      reject(new Error(`comptoir ${args.join(" ")} exited ${code}: ${err}`)),
    );
  });
}

async function scenarioFile(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-readers-"));
  const file = join(dir, "scenario.yaml");
  await writeFile(file, yaml);
  return file;
}

const expected = (protocol: ProtocolName) =>
  new Set(
    Array.from({ length: TAGS }, (_, i) => {
      const epc = sgtin96(GTIN, i + 1, 7, 1);
      return protocol === "em4100" ? cardIdOf(epc) : epc;
    }),
  );

describe("a simulated reader in its own process, read over TCP", () => {
  it.each(["thingmagic", "r2000", "em4100", "line"] as const)(
    "%s: every one of 1 000 distinct tags is read",
    async (protocol) => {
      const scenario = await scenarioFile(
        `name: ${TAGS} items at a dock door\nseed: 7\npopulations:\n  - count: ${TAGS}\n    gtin: "${GTIN}"\n    antennas: [1, 2]\n    rate: 3\n`,
      );
      const sim = await start([
        "sim",
        "reader",
        "--protocol",
        protocol,
        "--listen",
        "tcp://127.0.0.1:0",
        "--scenario",
        scenario,
        "--rate",
        "20000",
      ]);
      expect(sim.firstLine).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.firstLine).not.toBe("tcp://127.0.0.1:0");
      const session = new ReaderSession({
        id: `dock-${protocol}`,
        protocol: protocols[protocol],
        url: sim.firstLine,
        settings: { antennas: [1, 2] },
      });
      sessions.push(session);
      const seen = new Set<string>();
      const antennas = new Set<number>();
      const states: ReaderStateChange[] = [];
      session.on("state", (change) => states.push(change));
      const all = new Promise<void>((resolve) =>
        session.on("read", (read) => {
          seen.add(read.epc);
          antennas.add(read.antenna);
          if (seen.size === TAGS) resolve();
        }),
      );
      session.start();
      await all;
      expect(seen).toEqual(expected(protocol));
      if (protocol === "thingmagic" || protocol === "r2000")
        expect(antennas).toEqual(new Set([1, 2]));
      expect(states.map((s) => s.state)).toEqual(["starting", "reading"]);
    },
  );

  it("reader watch prints JSON lines from a simulated reader and stops cleanly on Ctrl-C", async () => {
    const sim = await start([
      "sim",
      "reader",
      "--protocol",
      "r2000",
      "--listen",
      "tcp://127.0.0.1:0",
      "--population",
      "5",
      "--rate",
      "500",
    ]);
    const watch = await start(["reader", "watch", "--protocol", "r2000", "--port", sim.firstLine]);
    const read = JSON.parse(watch.firstLine) as {
      epc: string;
      reader: string;
      identity?: { scheme: string };
    };
    expect(read).toMatchObject({ reader: "watch", antenna: 1, identity: { scheme: "sgtin-96" } });
    expect(read.epc).toMatch(/^30[0-9A-F]{22}$/);
    const exited = new Promise<number | null>((resolve) =>
      watch.child.once("exit", (code) => resolve(code)),
    );
    watch.child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(watch.stderr()).toMatch(/reader reading\n(.|\n)*reader stopped\n\d+ reads\n$/);
  });

  it("a reader behind a connection that drops comes back: degraded, then reading again", async () => {
    const sim = await start([
      "sim",
      "reader",
      "--protocol",
      "thingmagic",
      "--listen",
      "tcp://127.0.0.1:0",
      "--population",
      "10",
      "--rate",
      "2000",
      "--disconnect-after",
      "50",
    ]);
    const session = new ReaderSession({
      id: "flaky",
      protocol: protocols.thingmagic,
      url: sim.firstLine,
      backoff: { initialMs: 20, maxMs: 100, jitter: 0 },
    });
    sessions.push(session);
    const states: ReaderStateChange[] = [];
    let reads = 0;
    session.on("read", () => reads++);
    const back = new Promise<void>((resolve) =>
      session.on("state", (change) => {
        states.push(change);
        if (change.state === "reading" && states.some((s) => s.state === "degraded")) resolve();
      }),
    );
    session.start();
    await back;
    const before = reads;
    await new Promise<void>((resolve) =>
      session.on("read", () => reads > before + 10 && resolve()),
    );
    expect(states.map((s) => s.state).slice(0, 4)).toEqual([
      "starting",
      "reading",
      "degraded",
      "reading",
    ]);
    expect(states[2]?.detail).toMatch(/disconnected|closed/);
    expect(session.stats.opens).toBeGreaterThanOrEqual(2);
  });
});
