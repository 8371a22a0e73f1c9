import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { segmentName } from "../ledger/segments.js";
import { LedgerCursor } from "./cursor.js";

/** A ledger-like line: its seq last, as the canonical order puts it; `pad` makes it long. */
const line = (seq: number, pad: number) => `{"data":"${"é".repeat(pad)}","seq":${seq}}`;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("LedgerCursor", () => {
  it("reads every line whole and in order, lines longer than its read buffer and lines split across reads included", async () => {
    dir = await mkdtemp(join(tmpdir(), "comptoir-cursor-"));
    // 2-byte characters, sizes that straddle 64 KiB reads, and one line of about 200 KiB.
    const lines = Array.from({ length: 400 }, (_, i) =>
      line(i + 1, i === 150 ? 100_000 : 97 + ((i * 389) % 1500)),
    );
    await writeFile(join(dir, segmentName(1)), `${lines.join("\n")}\n`);
    const cursor = new LedgerCursor(dir);
    await cursor.seek(1);
    const taken: string[] = [];
    for (;;) {
      const batch = await cursor.take({ until: 400, maxEntries: 7, maxBytes: 10_000 });
      if (batch.length === 0) break;
      taken.push(...batch);
    }
    await cursor.close();
    expect(taken).toEqual(lines);
  });

  it("follows the head: lines appended after a read are read next, none twice", async () => {
    dir = await mkdtemp(join(tmpdir(), "comptoir-cursor-"));
    const path = join(dir, segmentName(1));
    await writeFile(path, "");
    const cursor = new LedgerCursor(dir);
    await cursor.seek(1);
    const taken: string[] = [];
    for (let seq = 1; seq <= 50; seq++) {
      await appendFile(path, `${line(seq, seq * 37)}\n`);
      taken.push(...(await cursor.take({ until: seq, maxEntries: 100, maxBytes: 1 << 20 })));
    }
    await cursor.close();
    expect(taken).toEqual(Array.from({ length: 50 }, (_, i) => line(i + 1, (i + 1) * 37)));
  });
});
