import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdentity, loadIdentity } from "@comptoir/contracts";
import { Ledger, verifyLedgerDir } from "@comptoir/device";
import { describe, expect, it } from "vitest";

const CHILD = join(import.meta.dirname, "support", "append-until-killed.ts");
const KILLS = 24;

/** Starts the appender, waits until it has acknowledged some appends, kills it with SIGKILL after `delayMs`. */
async function runAndKill(dir: string, dataDir: string, delayMs: number): Promise<number> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", CHILD, dir, dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let errors = "";
  child.stderr?.on("data", (chunk) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      if (output.includes("acked ")) resolve();
    });
    child.once("exit", () =>
      reject(new Error(`the appender exited before acknowledging anything: ${errors}`)),
    );
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill("SIGKILL");
  await exited;
  // Everything the child printed before it died is in `output` now.
  const acks = [...output.matchAll(/acked (\d+)\n/g)].map((m) => Number(m[1]));
  return Math.max(...acks);
}

describe("crash: SIGKILL at random moments while appending", () => {
  // Many process starts: generous on a loaded machine (a hang guard, not a measure).
  it(`never loses an acknowledged entry, over ${KILLS} kills`, { timeout: 240_000 }, async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-crash-"));
    const dataDir = join(root, "data");
    const dir = join(dataDir, "ledger");
    await createIdentity(dataDir);
    const identity = await loadIdentity(dataDir);
    let previousHead = 0;
    for (let run = 0; run < KILLS; run++) {
      const acknowledged = await runAndKill(dir, dataDir, Math.floor(Math.random() * 300));
      expect(acknowledged).toBeGreaterThan(previousHead);
      // Reopening is the recovery a node goes through: cut a torn tail, verify.
      const ledger = await Ledger.open({ dir, chain: "crash-node", identity });
      expect(ledger.durable.seq).toBeGreaterThanOrEqual(acknowledged);
      previousHead = ledger.durable.seq;
      await ledger.close();
    }
    const { result } = await verifyLedgerDir(dir, { publicKey: identity.publicKey });
    expect(result.ok).toBe(true);
    // At least the head seen at the last reopen: closing adds a checkpoint only when
    // entries followed the last one, so the count may equal it.
    expect(result.ok && result.count).toBeGreaterThanOrEqual(previousHead);
  });
});
