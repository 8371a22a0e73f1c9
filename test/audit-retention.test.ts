import { cp, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, publicKeyPem } from "@comptoir/contracts";
import { applyRetention, Ledger, listSegments, readLines } from "@comptoir/device";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

/**
 * Issue 13, item 15: deleting the oldest segment went unnoticed. A copy
 * that starts past seq 1 is now broken at its first seq, unless retention
 * left the node's signed evidence of where it starts.
 */
describe("comptoir audit verify: a ledger whose oldest segment is gone", () => {
  const owner = generateIdentity();
  let root: string;
  let dir: string;
  let head: number;
  let pub: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "comptoir-audit-retention-"));
    dir = join(root, "ledger");
    // No ledger.maxBytes anywhere: only segments, as every node writes them.
    const ledger = await Ledger.open({
      dir,
      chain: "dock-1",
      identity: owner,
      checkpointEvery: 10,
      segmentBytes: 4096,
    });
    for (let i = 0; i < 120; i++) await ledger.append("sale", { i, pad: "x".repeat(80) });
    head = ledger.durable.seq;
    await ledger.close();
    pub = join(root, "owner.pub");
    await writeFile(pub, publicKeyPem(owner.publicKey));
  });

  async function copy(name: string): Promise<string> {
    const to = join(root, name);
    await cp(dir, to, { recursive: true });
    return to;
  }

  it("is broken at the first seq left when the oldest segment was deleted by hand, with --public-key and --known", async () => {
    const tampered = await copy("by-hand");
    const [oldest, next] = await listSegments(tampered);
    await rm(oldest?.path as string);
    const first = next?.firstSeq as number;

    const plain = await runCli(["audit", "verify", tampered, "--public-key", pub]);
    expect(plain).toMatchObject({ code: 1, stdout: `broken at seq ${first}: gap\n` });
    expect(plain.stderr).toMatch(/no retention evidence/);
    expect(plain.stderr).not.toMatch(/removed by retention/);

    let known = "";
    for await (const line of readLines(next?.path as string)) {
      const entry = JSON.parse(line) as { type: string; data: { seq: number; hash: string } };
      if (entry.type === "checkpoint") known = `${entry.data.seq}:${entry.data.hash}`;
    }
    expect(known).not.toBe("");
    const withKnown = await runCli(["audit", "verify", tampered, "--known", known]);
    expect(withKnown).toMatchObject({ code: 1, stdout: `broken at seq ${first}: gap\n` });
  });

  it("is ok after a real retention run, and names the evidence and the gateway's ack", async () => {
    const kept = await copy("retained");
    const segments = await listSegments(kept);
    const oldest = (await stat(segments[0]?.path as string)).size;
    const total = (await Promise.all(segments.map((s) => stat(s.path)))).reduce(
      (sum, s) => sum + s.size,
      0,
    );
    const run = await applyRetention({
      dir: kept,
      ackedSeq: head,
      maxBytes: total - oldest,
      chain: "dock-1",
      identity: owner,
      ack: { type: "ack", seq: head },
    });
    expect(run.deleted).toHaveLength(1);
    expect(await readdir(kept)).toContain("retention.json");

    const verified = await runCli(["audit", "verify", kept, "--public-key", pub]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^ok \d+ entries, head [0-9a-f]{64}\n$/);
    expect(verified.stderr).toContain(
      `seq 1-${(run.firstKeptSeq as number) - 1} were removed by retention`,
    );
    expect(verified.stderr).toContain(`after the gateway acknowledged seq ${head}`);
    expect(verified.stderr).toContain("retention.json");
  });
});
