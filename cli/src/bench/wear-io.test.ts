import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bareWriter, readIo, written } from "./wear-io.js";

const hasProcIo = process.platform === "linux" && (await readIo(process.pid)) !== undefined;
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("bench wear: what a process writes", () => {
  it("counts block writes, and falls back to wchar (saying so) where the file system accounts none", () => {
    const before = { writeBytes: 4096, cancelledWriteBytes: 0, wchar: 100 };
    expect(written(before, { writeBytes: 12_288, cancelledWriteBytes: 0, wchar: 900 })).toEqual({
      bytes: 8192,
      counter: "write_bytes",
      cancelled: 0,
    });
    expect(written(before, { writeBytes: 4096, cancelledWriteBytes: 0, wchar: 900 })).toEqual({
      bytes: 800,
      counter: "wchar",
      cancelled: 0,
    });
  });

  it.skipIf(!hasProcIo)(
    `the bare writer appends the payload it is given, and at least that much is counted${hasProcIo ? "" : " (skipped: no /proc/<pid>/io here)"}`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "comptoir-wear-io-"));
      dirs.push(dir);
      const path = join(dir, "bare.jsonl");
      const measured = await bareWriter({
        path,
        entries: 20,
        bytes: 20 * 300,
        seconds: 0.2,
        windowMs: 10,
      });
      expect((await stat(path)).size).toBe(20 * 300);
      expect(measured.bytes).toBeGreaterThanOrEqual(20 * 300);
    },
  );
});
