import { spawn } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * What a process has written so far, from Linux's /proc/<pid>/io.
 * `write_bytes` is what the process made the kernel send to the block
 * device (pages it dirtied, counted once each until written back: an fsync
 * that cleans a half-full page makes the next append count it again);
 * `wchar` is every byte passed to write(2), pipes and sockets included.
 */
export interface IoCounters {
  writeBytes: number;
  cancelledWriteBytes: number;
  wchar: number;
}

/** The counters of a live process; undefined where /proc/<pid>/io cannot be read. */
export async function readIo(pid: number): Promise<IoCounters | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/io`, "utf8");
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(text)?.[1]);
  const counters = {
    writeBytes: field("write_bytes"),
    cancelledWriteBytes: field("cancelled_write_bytes"),
    wchar: field("wchar"),
  };
  return Object.values(counters).every(Number.isFinite) ? counters : undefined;
}

/** Bytes written between two samples, and which counter gave them. */
export interface Written {
  bytes: number;
  /** "write_bytes", or "wchar" where the file system does not account block writes. */
  counter: "write_bytes" | "wchar";
  cancelled: number;
}

/**
 * write_bytes between two samples; wchar instead when write_bytes did not
 * move (some container file systems, e.g. overlay on tmpfs, account none).
 */
export function written(before: IoCounters, after: IoCounters): Written {
  const block = after.writeBytes - before.writeBytes;
  const cancelled = after.cancelledWriteBytes - before.cancelledWriteBytes;
  if (block > 0) return { bytes: block, counter: "write_bytes", cancelled };
  return { bytes: after.wchar - before.wchar, counter: "wchar", cancelled };
}

/** Total size of the files under `dir` (recursively); 0 when it does not exist. */
export async function dirBytes(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let total = 0;
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    total += info.isDirectory() ? await dirBytes(path) : info.size;
  }
  return total;
}

/**
 * The baseline, in a process of its own so that /proc/<pid>/io holds only
 * its writes: appends `entries` lines totalling `bytes` over `seconds`,
 * evenly spaced, each window's lines in one write followed by one
 * fdatasync (the ledger's group commit, with nothing else: no hashing,
 * no checkpoints, no snapshot, no sync state).
 */
const BARE_WRITER = `
import { open } from "node:fs/promises";
const [path, entries, bytes, seconds, windowMs] = process.argv.slice(1);
const n = Number(entries), size = Math.max(1, Math.round(Number(bytes) / n));
const line = "x".repeat(size - 1) + "\\n";
const file = await open(path, "a");
const started = Date.now();
let done = 0;
while (done < n) {
  const due = Math.min(n, Math.floor(((Date.now() - started) / (Number(seconds) * 1000)) * n) + 1);
  if (due > done) {
    await file.write(line.repeat(due - done));
    await file.datasync();
    done = due;
  }
  await new Promise((resolve) => setTimeout(resolve, Number(windowMs)));
}
await file.close();
process.stdout.write("done\\n");
// Alive until the bench has read its counters, which go with the process.
setInterval(() => {}, 1000);
`;

/** Runs the bare writer and returns what its process wrote to the device. */
export async function bareWriter(options: {
  path: string;
  entries: number;
  bytes: number;
  seconds: number;
  windowMs: number;
}): Promise<Written> {
  const child = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      BARE_WRITER,
      options.path,
      String(Math.max(1, options.entries)),
      String(Math.max(1, options.bytes)),
      String(options.seconds),
      String(options.windowMs),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error("the bare writer did not start");
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const before = await readIo(pid);
  let after: IoCounters | undefined;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Sampled once it says it is done, while it waits to be stopped.
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("done"))
        void readIo(pid).then((io) => {
          after = io;
          resolve();
        });
    });
    void exited.then(() => reject(new Error(`the bare writer exited early: ${stderr}`)));
  });
  child.kill("SIGTERM");
  await exited;
  if (before === undefined || after === undefined)
    throw new Error("cannot read /proc/<pid>/io of the bare writer");
  return written(before, after);
}
