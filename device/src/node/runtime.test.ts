import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdentity, ManualClock } from "@comptoir/contracts";
import { type NodeConfig, NodeConfigSchema } from "@comptoir/firmware-config";
import { describe, expect, it } from "vitest";
import { verifyLedgerDir } from "../ledger/verify-dir.js";
import type { NodeEvent } from "./api.js";
import { NodeRuntime } from "./runtime.js";

async function stationNode(): Promise<{ config: NodeConfig; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), "comptoir-node-"));
  await createIdentity(dataDir);
  const config = NodeConfigSchema.parse({
    node: { id: "desk-1", site: "lyon-1", role: "station" },
    ledger: { groupCommitMs: 1 },
  });
  return { config, dataDir };
}

const A = "3034257BF7194E4000000001";
const B = "3034257BF7194E4000000002";
const C = "3034257BF7194E4000000003";

describe("node runtime", () => {
  it("records station actions in the ledger and keeps stock in step", async () => {
    const { config, dataDir } = await stationNode();
    const node = await NodeRuntime.start({
      config,
      dataDir,
      clock: new ManualClock("2026-11-22T09:00:00Z"),
    });
    const events: NodeEvent["type"][] = [];
    node.subscribe((event) => events.push(event.type));

    await node.move({ epcs: [A, B, C], zone: "shelf-a" });
    expect(node.stock()).toEqual([{ sku: null, zone: "shelf-a", count: 3 }]);
    expect(
      node
        .unknownTags()
        .map((t) => t.epc)
        .sort(),
    ).toEqual([A, B, C]);

    await node.commission({ epc: A, sku: "SKU-1" });
    await node.commission({ epc: B, sku: "SKU-1" });
    expect(node.stock()).toEqual([
      { sku: null, zone: "shelf-a", count: 1 },
      { sku: "SKU-1", zone: "shelf-a", count: 2 },
    ]);

    const count = await node.cycleCount({
      zone: "shelf-a",
      seen: [A, C, "3034257BF7194E4000000009"],
      reason: "weekly count",
    });
    expect(count).toMatchObject({
      expected: 3,
      seen: 3,
      missing: [B],
      unexpected: ["3034257BF7194E4000000009"],
      adjustments: 2,
    });
    expect(node.tag(B).place).toEqual({ sku: "SKU-1", zone: null });
    expect(node.tag(B).movements[0]).toMatchObject({
      kind: "adjust",
      from: "shelf-a",
      to: null,
      reason: "weekly count",
    });
    expect(events).toContain("movement");
    expect(events).toContain("stock");
    await expect(node.commission({ epc: "not an epc", sku: "X" })).rejects.toThrow();

    const stockBefore = node.stock();
    await node.stop();
    const again = await NodeRuntime.start({ config, dataDir });
    expect(again.stock()).toEqual(stockBefore);
    await again.stop();
    const { result } = await verifyLedgerDir(join(dataDir, "ledger"));
    expect(result.ok).toBe(true);
  });
});
