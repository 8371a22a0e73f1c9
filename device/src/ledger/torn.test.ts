import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type LedgerEntry } from "@comptoir/contracts";
import { buildChain, toLines } from "@comptoir/contracts/testing";
import { describe, expect, it } from "vitest";
import { Ledger } from "./ledger.js";
import { segmentName } from "./segments.js";
import { verifyLedgerDir } from "./verify-dir.js";

describe("a torn last line (power lost mid-write)", () => {
  it("is cut off on start at every byte offset, and the next append continues the chain", async () => {
    const identity = generateIdentity();
    const entries = buildChain("dock-1", identity, 13, 5);
    // The last entry holds multi-byte UTF-8, so some cuts fall inside a character.
    const last = entries.at(-1) as LedgerEntry;
    expect(last.type).not.toBe("checkpoint");
    const lines = toLines(entries).map((line) => Buffer.from(line));
    const lastLine = lines.at(-1) as Buffer;
    expect(lastLine.length).toBeGreaterThan(lastLine.toString().length);
    const whole = Buffer.concat(lines.slice(0, -1));
    const previous = entries.at(-2) as LedgerEntry;
    const root = await mkdtemp(join(tmpdir(), "comptoir-torn-"));

    for (let cut = 0; cut < lastLine.length; cut++) {
      const dir = join(root, String(cut));
      await mkdir(dir);
      await writeFile(join(dir, segmentName(1)), Buffer.concat([whole, lastLine.subarray(0, cut)]));
      const ledger = await Ledger.open({ dir, chain: "dock-1", identity, fsync: "entry" });
      expect(ledger.head).toEqual({ seq: previous.seq, hash: previous.hash });
      expect(await readFile(join(dir, segmentName(1)))).toEqual(whole);
      const next = await ledger.append("movement", { note: "après coupure" });
      expect(next).toMatchObject({ seq: last.seq, prev: previous.hash });
      await ledger.close();
      const { result } = await verifyLedgerDir(dir, { publicKey: identity.publicKey });
      expect(result).toMatchObject({ ok: true, count: last.seq + 1 });
      await rm(dir, { recursive: true });
    }
  });
});
