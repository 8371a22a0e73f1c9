import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type MovementData } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { Ledger } from "../ledger/ledger.js";
import { StockStore } from "./stock-store.js";

const identity = generateIdentity();

function movement(i: number, to: string | null): MovementData {
  const epc = `30340000${i.toString(16).toUpperCase().padStart(8, "0")}`;
  return {
    epc,
    sku: `SKU-${i % 3}`,
    kind: "receive",
    from: null,
    to,
    reader: "door",
    antennas: [1],
    reads: 2,
    at: "2026-11-22T10:00:00.000Z",
  };
}

async function scenario(root: string, count: number, snapshotEvery: number) {
  const ledger = await Ledger.open({
    dir: join(root, "ledger"),
    chain: "dock-1",
    identity,
    groupCommitMs: 1,
  });
  const store = await StockStore.open(ledger, {
    path: join(root, "stock.json"),
    everyEntries: snapshotEvery,
  });
  for (let i = 0; i < count; i++)
    store.apply(await ledger.append("movement", movement(i, i % 2 ? "dock" : "shelf-a")));
  return { ledger, store };
}

describe("stock store", () => {
  it("restarts from its snapshot plus the ledger tail, with the same stock", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-stock-"));
    const { ledger, store } = await scenario(root, 50, 20);
    const before = store.projection.rows();
    await store.snapshot();
    await ledger.close();
    const snapshot = JSON.parse(await readFile(join(root, "stock.json"), "utf8"));
    expect(snapshot.stock.seq).toBeGreaterThan(40);
    const reopened = await Ledger.open({ dir: join(root, "ledger"), chain: "dock-1", identity });
    const again = await StockStore.open(reopened, { path: join(root, "stock.json") });
    expect(again.projection.rows()).toEqual(before);
    expect(again.projection.seq).toBe(reopened.durable.seq);
    await reopened.close();
  });

  it("costs a full replay, never wrong stock, when the snapshot is corrupt or belongs to another ledger", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-stock-"));
    const { ledger, store } = await scenario(root, 30, 10);
    await store.snapshot();
    const expected = store.projection.rows();
    await ledger.close();
    const path = join(root, "stock.json");
    const good = await readFile(path, "utf8");

    for (const damaged of [
      "\u0000\u0000\u0000\u0000", // zero-filled after power loss
      good.slice(0, good.length / 2), // cut short
      good.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${"f".repeat(64)}"`), // another ledger's
    ]) {
      await writeFile(path, damaged);
      const reopened = await Ledger.open({ dir: join(root, "ledger"), chain: "dock-1", identity });
      const again = await StockStore.open(reopened, { path });
      expect(again.projection.rows()).toEqual(expected);
      await reopened.close();
    }
  });
});
