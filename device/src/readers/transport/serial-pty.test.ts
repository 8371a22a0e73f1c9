import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { protocols, ReaderSession, type ReaderStateChange } from "../../index.js";

/**
 * The real serialport binding on a pseudo-terminal: a small Python process
 * owns the pty's master side and plays an RDM6300 (EM4100) reader, sending a
 * card frame `count` times, then closes it, which is what an unplug looks like
 * to the host (the tty goes away under the open port).
 */
const READER = `
import os, pty, sys, time
master, slave = pty.openpty()
print(os.ttyname(slave), flush=True)
sys.stdin.readline()  # the host has opened the port
os.close(slave)
for _ in range(int(sys.argv[1])):
    os.write(master, b"\\x024500A2B3C490\\x03")
    time.sleep(0.01)
sys.stdin.readline()  # unplug when told
os.close(master)
time.sleep(30)
`;

const hasPython =
  process.platform === "linux" && spawnSync("python3", ["-c", "import pty"]).status === 0;

/** Waits for `check`; on timeout, fails with the states seen so far. */
function until(check: () => boolean, what: string, states: ReaderStateChange[]): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > 20_000) {
        const seen = states.map((change) => `${change.state}: ${change.detail ?? ""}`).join(" | ");
        return reject(new Error(`timed out waiting for ${what}; states: ${seen}`));
      }
      setTimeout(tick, 10);
    };
    tick();
  });
}

let child: ChildProcess | undefined;
let session: ReaderSession | undefined;
afterEach(async () => {
  await session?.stop();
  child?.kill("SIGKILL");
});

/** Starts the Python reader sending `frames` cards; resolves with its tty's path. */
function startReader(frames: number): Promise<{ reader: ChildProcess; tty: string }> {
  const reader = spawn("python3", ["-c", READER, String(frames)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  child = reader;
  return new Promise((resolve) =>
    reader.stdout?.once("data", (data) => resolve({ reader, tty: String(data).trim() })),
  );
}

/** Opens `path` as an EM4100 reader through the OS binding; records its states and reads. */
async function openBadgeReader(path: string) {
  session = new ReaderSession({
    id: "badge",
    protocol: protocols.em4100,
    url: `serial://${path}?baud=9600`,
    backoff: { initialMs: 20, maxMs: 100, jitter: 0 },
  });
  const states: ReaderStateChange[] = [];
  const epcs: string[] = [];
  session.on("state", (change) => states.push(change));
  session.on("read", (read) => epcs.push(read.epc));
  session.start();
  await session.whenReading();
  return { states, epcs };
}

describe("serial reader through the operating system's serialport binding", () => {
  it.skipIf(!hasPython)(
    "reads frames from a tty, and reports the reader degraded (not a crash) when the tty goes away",
    async () => {
      const { reader, tty: path } = await startReader(5);
      expect(path).toMatch(/^\/dev\//);
      const { states, epcs } = await openBadgeReader(path);
      reader.stdin?.write("opened\n");
      await until(() => epcs.length === 5, "five reads", states);
      expect(epcs).toEqual(Array(5).fill("4500A2B3C4"));
      reader.stdin?.write("unplug\n");
      await until(
        () => states.some((change) => change.detail?.startsWith(`cannot open ${path}: `)),
        "a failed reopen",
        states,
      );
      expect(states[0]?.state).toBe("starting");
      expect(states[1]?.state).toBe("reading");
      expect(states[2]).toMatchObject({
        state: "degraded",
        detail: expect.stringMatching(/disconnected/),
      });
      // Usually the tty is gone (no such port); racing its removal, the kernel may refuse it first.
      const reopen = states.find((change) => change.detail?.startsWith(`cannot open ${path}: `));
      expect(reopen?.detail).toMatch(
        new RegExp(
          `^cannot open ${path}: (no such port — .*check the cable and the path in the config|.+)$`,
        ),
      );
      expect(states.slice(2).every((change) => change.state === "degraded")).toBe(true);
    },
  );

  it.skipIf(!hasPython)(
    "notices a device path that vanishes even when the kernel wakes no read (a by-id link removed)",
    async () => {
      const { reader, tty } = await startReader(1);
      // udev's /dev/serial/by-id names are links; on unplug the link goes first.
      const dir = mkdtempSync(join(tmpdir(), "comptoir-serial-"));
      const link = join(dir, "usb-reader-if00");
      symlinkSync(tty, link);
      try {
        const { states, epcs } = await openBadgeReader(link);
        reader.stdin?.write("opened\n");
        await until(() => epcs.length === 1, "one read", states);
        // The pty stays open: no hang-up reaches the port, only the path is gone.
        unlinkSync(link);
        await until(
          () => states.some((change) => change.detail?.startsWith(`cannot open ${link}: `)),
          "a failed reopen",
          states,
        );
        expect(states[2]).toMatchObject({
          state: "degraded",
          detail: expect.stringMatching(/disconnected \(.*is gone \(unplugged\)\)/),
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
