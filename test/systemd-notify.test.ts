import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startQuietGateway, writeShelfNodeConfig } from "@comptoir/cli/bench/shelf-node-config";
import { parseScenario, serveSimulatedReader } from "@comptoir/simulators";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeNotifySocket, fakeNotifySocket } from "./support/notify-socket.js";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "comptoir.mjs");

/** What the fake socket needs; CI's Debian has both (python3 is on CI, systemd-notify comes with systemd). */
function missingTools(): string | undefined {
  for (const [tool, args] of [
    ["python3", ["--version"]],
    ["systemd-notify", ["--version"]],
  ] as const) {
    try {
      execFileSync(tool, args, { stdio: "ignore" });
    } catch {
      return `${tool} is not installed`;
    }
  }
  return undefined;
}
const missing = missingTools();

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-systemd-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function notifySocket(address: string): Promise<FakeNotifySocket> {
  const socket = await fakeNotifySocket(address);
  cleanups.push(() => socket.close());
  return socket;
}

/** `comptoir …` as systemd starts it: NOTIFY_SOCKET, and WATCHDOG_USEC from WatchdogSec=. */
function underSystemd(args: string[], socket: FakeNotifySocket, watchdogUsec: number) {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NOTIFY_SOCKET: socket.address, WATCHDOG_USEC: String(watchdogUsec) },
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  return { child, exited, output: () => output };
}

const statusOf = (fields: string[] | undefined) =>
  fields?.find((field) => field.startsWith("STATUS="))?.slice("STATUS=".length) ?? "";

/** Waits for `count` watchdog pings after message `after`; returns the last one's index. */
async function pings(socket: FakeNotifySocket, after: number, count: number): Promise<number> {
  let at = after;
  for (let i = 0; i < count; i++) at = (await socket.next("WATCHDOG=1", at + 1)) as number;
  return at;
}

describe.skipIf(missing)(
  `comptoir under systemd (Type=notify)${missing ? `: ${missing}` : ""}`,
  () => {
    it("a node says READY=1 once its API answers and its reader reads, pings the watchdog, and says STOPPING=1 on SIGTERM", async () => {
      const dir = await tempDir();
      const gateway = await startQuietGateway("lyon-1", join(dir, "gateway"));
      cleanups.push(() => gateway.stop());
      const reader = await serveSimulatedReader({
        protocol: "thingmagic",
        scenario: parseScenario({
          name: "one case",
          populations: [{ count: 1, gtin: "04012345123456", antennas: [1], rate: 1 }],
        }),
      });
      cleanups.push(() => reader.close());
      const config = await writeShelfNodeConfig({
        gateway,
        nodeDir: join(dir, "node"),
        node: "aisle-a",
        site: "lyon-1",
        reader: { id: "aisle-a", url: reader.url },
        bays: ["shelf-a1"],
      });
      const socket = await notifySocket(join(dir, "notify.sock"));
      const node = underSystemd(["node", "--config", config], socket, 600_000);

      const ready = await socket.next("READY=1");
      // Before READY, only "starting" status lines: no premature readiness, no pings.
      expect(socket.messages.slice(0, ready).map(statusOf)).toEqual([
        "starting: verifying the ledger, opening readers",
      ]);
      const status = statusOf(socket.messages[ready]);
      expect(status).toMatch(
        /^ready; readers: aisle-a reading; local API at http:\/\/127\.0\.0\.1:\d+$/,
      );
      // The API the READY line names answers at once, with its reader open.
      const url = /local API at (\S+)/.exec(status)?.[1];
      const health = (await (await fetch(`${url}/health`)).json()) as {
        parts: Record<string, { detail?: string }>;
      };
      expect(health.parts["reader:aisle-a"]?.detail, node.output()).toBe("reading");
      expect(health.parts.ledger?.detail).toMatch(/^head seq \d+$/);

      // WATCHDOG_USEC=0.6 s: a ping every 0.3 s, as long as the loop runs.
      const lastPing = await pings(socket, ready, 3);

      node.child.kill("SIGTERM");
      const [code] = await node.exited;
      expect(code, node.output()).toBe(0);
      const stopping = socket.messages.findIndex((fields) => fields.includes("STOPPING=1"));
      expect(stopping, JSON.stringify(socket.messages)).toBeGreaterThan(lastPing);
      expect(statusOf(socket.messages[stopping])).toBe(
        "stopping (SIGTERM): readers, ledger, offline",
      );
      // Nothing after STOPPING=1: no ping, no status overwriting it.
      expect(socket.messages.slice(stopping + 1)).toEqual([]);
    });

    it("a gateway says READY=1 once its API and broker listen (abstract NOTIFY_SOCKET), then STOPPING=1", async () => {
      const dir = await tempDir();
      const file = join(dir, "gateway.json");
      await writeFile(
        file,
        JSON.stringify({
          gateway: { site: "lyon-1", dataDir: "./data" },
          mqtt: { embedded: { port: 0 } },
          http: { listen: "127.0.0.1:0" },
          log: { level: "warn" },
        }),
      );
      const socket = await notifySocket(`@comptoir-test-${process.pid}-${Date.now()}`);
      const gateway = underSystemd(["gateway", "--config", file], socket, 600_000);

      const ready = await socket.next("READY=1");
      const status = statusOf(socket.messages[ready]);
      expect(status).toMatch(/^ready; API at http:\/\/127\.0\.0\.1:\d+, MQTT at mqtt:\/\/\S+:\d+$/);
      const url = /API at (\S+),/.exec(status)?.[1];
      const health = await fetch(`${url}/api/v1/health`);
      const body = (await health.json()) as { store: { ok: boolean }; broker: { state: string } };
      expect(health.status, gateway.output()).toBe(200);
      expect(body.store.ok).toBe(true);
      expect(body.broker.state).toBe("up");
      const lastPing = await pings(socket, ready, 2);

      gateway.child.kill("SIGTERM");
      const [code] = await gateway.exited;
      expect(code, gateway.output()).toBe(0);
      const stopping = socket.messages.findIndex((fields) => fields.includes("STOPPING=1"));
      expect(stopping).toBeGreaterThan(lastPing);
      expect(socket.messages.slice(stopping + 1)).toEqual([]);
    });

    it("a service whose event loop is blocked stops pinging the watchdog, and pings again once it runs", async () => {
      const dir = await tempDir();
      const socket = await notifySocket(join(dir, "notify.sock"));
      // A ping every 0.1 s; each phase lasts 2 s, some 20 intervals.
      const child = spawn(
        process.execPath,
        ["--import", "tsx", join(ROOT, "test", "support", "watchdog-child.ts"), "2000"],
        {
          stdio: ["ignore", "ignore", "pipe"],
          env: { ...process.env, NOTIFY_SOCKET: socket.address, WATCHDOG_USEC: "200000" },
        },
      );
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      const [code] = (await once(child, "exit")) as [number | null];
      expect(code, stderr).toBe(0);

      const at = (status: string) =>
        socket.messages.findIndex((fields) => fields.includes(`STATUS=${status}`));
      const pingsBetween = (from: string, to: string) =>
        socket.messages
          .slice(at(from) + 1, at(to))
          .filter((fields) => fields.includes("WATCHDOG=1")).length;
      expect(at("idle")).toBeGreaterThan(0);
      // Running: pings keep coming (a loaded machine runs late timers, so only a few are required).
      expect(pingsBetween("idle", "blocking")).toBeGreaterThanOrEqual(3);
      // Blocked: at most the one ping already on its way when the loop stopped.
      expect(pingsBetween("blocking", "unblocked")).toBeLessThanOrEqual(1);
      expect(pingsBetween("unblocked", "done")).toBeGreaterThanOrEqual(1);
    });
  },
);
