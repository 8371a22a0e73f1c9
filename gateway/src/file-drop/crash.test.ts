import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadIdentity } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { invoiceCsvTemplate } from "../invoice-files/index.js";
import { GATEWAY_CHAIN, GatewayLedger } from "../ledger/gateway-ledger.js";
import { Store } from "../store/store.js";
import { cleanupAfterEach } from "../testing/broker.js";
import { fileDropSitePerTest } from "../testing/file-drop.js";
import { importStep } from "./take-file.js";

const site = fileDropSitePerTest();
const defer = cleanupAfterEach();
const CHILD = join(import.meta.dirname, "..", "testing", "file-drop-child.ts");

describe("file drop: a crash imports a file exactly once", () => {
  it("a crash between the import's commit and the move: the restarted drop archives it without importing it again", async () => {
    const s = await site();
    await s.watcher().scan();
    await s.drop("invoices", "export.csv", invoiceCsvTemplate());
    // The first step only, then the "crash": nothing moved the file.
    const { decision } = await importStep(s.context(), "invoices", "export.csv");
    expect(decision.step).toBe("imported");
    expect(await s.list("invoices")).toEqual(["export.csv"]);
    const stored = s.state();

    // A new watcher is the gateway started again on the same store and folder.
    const restarted = s.watcher();
    await restarted.start();
    await restarted.stop();
    expect(s.state()).toBe(stored);
    expect(s.gatewayEntries("invoices.imported")).toHaveLength(1);
    expect(await s.list("invoices")).toEqual([]);
    expect(await s.list("invoices", "archive")).toEqual(["export.csv"]);
    expect(await s.list("invoices", "error")).toEqual([]);
    expect(restarted.journal.recent({ limit: 5 })).toMatchObject([
      { outcome: "imported", count: 2, movedTo: "archive/export.csv" },
    ]);
  });

  for (const killAt of ["in-transaction", "after-commit"] as const) {
    it(`a SIGKILL ${killAt === "in-transaction" ? "inside the import's transaction" : "after its commit, before the move"}, then a restart: imported exactly once`, {
      timeout: 60_000,
    }, async () => {
      const root = await mkdtemp(join(tmpdir(), "comptoir-file-drop-crash-"));
      defer(() => rm(root, { recursive: true, force: true }));
      const dataDir = join(root, "data");
      const dropDir = join(root, "drop");
      const inbound = join(dropDir, "inbound", "invoices");
      await mkdir(dataDir, { recursive: true });
      await mkdir(inbound, { recursive: true });
      await writeFile(join(inbound, "export.csv"), invoiceCsvTemplate());

      const killed = await runChild(dataDir, dropDir, killAt);
      expect(killed.signal).toBe("SIGKILL");
      expect(await readdir(inbound)).toContain("export.csv");
      const restarted = await runChild(dataDir, dropDir, "none");
      expect(restarted, restarted.stderr).toMatchObject({ code: 0, signal: null });

      expect(await readdir(inbound)).not.toContain("export.csv");
      expect(await readdir(join(inbound, "archive"))).toEqual(["export.csv"]);
      expect(await readdir(join(inbound, "error"))).toEqual([]);
      const store = new Store(join(dataDir, "gateway.db"));
      try {
        const numbers = store.db.prepare("SELECT number FROM invoices ORDER BY number").all();
        expect(numbers).toEqual([{ number: "AV-2026-0001" }, { number: "F-2026-0001" }]);
        const imports = [...store.entries(GATEWAY_CHAIN)].filter(
          (e) => e.type === "invoices.imported",
        );
        expect(imports).toHaveLength(1);
        // The chain the killed process was writing is whole: no torn or doubled entry.
        expect(new GatewayLedger(store, await loadIdentity(dataDir)).verify().ok).toBe(true);
      } finally {
        store.close();
      }
    });
  }
});

function runChild(dataDir: string, dropDir: string, killAt: string) {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dataDir, dropDir, killAt], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.once("exit", (code, signal) => resolve({ code, signal, stderr })),
  );
}
