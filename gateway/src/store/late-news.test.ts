import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type MovementData } from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { describe, expect, it } from "vitest";
import { stockAsOf } from "./stock-history.js";
import { Store } from "./store.js";

const EPC = "3034257BF7194E4000000001";

/** A node's chain, one movement per entry. */
function chain(node: string) {
  const sealer = chainSealer(node);
  return (kind: MovementData["kind"], from: string | null, to: string | null, at: string) => {
    const data: MovementData = {
      epc: EPC,
      sku: "A",
      kind,
      from,
      to,
      reader: "r1",
      antennas: [1],
      reads: 3,
      at,
    };
    return [sealer.seal("movement", data, at)];
  };
}

describe("the site's stock when nodes report late", () => {
  it("keeps a sold item off the site when the shelf's older pick arrives after the sale", async () => {
    const store = new Store(join(await mkdtemp(join(tmpdir(), "comptoir-late-")), "gateway.db"));
    store.enrollNode("shelf-1", generateIdentity().publicKeyHex);
    store.enrollNode("counter-1", generateIdentity().publicKeyHex);
    const shelf = chain("shelf-1");
    const counter = chain("counter-1");
    store.appendEntries("shelf-1", shelf("putaway", null, "bay-1", "2026-11-22T10:00:00.000Z"));
    store.appendEntries("counter-1", counter("sale", "bay-1", null, "2026-11-22T10:01:00.000Z"));
    store.appendEntries("shelf-1", shelf("pick", "bay-1", "picked", "2026-11-22T10:00:30.000Z"));

    expect(store.stock()).toEqual([]);
    const { place, history } = store.tag(EPC);
    expect(place?.zone ?? null).toBeNull();
    expect(history).toHaveLength(3);
    // Replaying to now agrees with the live projection.
    expect(stockAsOf(store.db, new Date(Date.now() + 60_000), store.skuOfGtin)).toEqual([]);

    // A return, received later, puts it back on the site.
    store.appendEntries("shelf-1", shelf("receive", null, "bay-2", "2026-11-22T12:00:00.000Z"));
    expect(store.stock()).toEqual([{ sku: "A", zone: "bay-2", count: 1 }]);
    store.close();
  });

  it("keeps an item on its shelf when the dock portal's receipt, older, arrives after the put-away", async () => {
    const store = new Store(join(await mkdtemp(join(tmpdir(), "comptoir-late-")), "gateway.db"));
    store.enrollNode("dock-1", generateIdentity().publicKeyHex);
    store.enrollNode("shelf-1", generateIdentity().publicKeyHex);
    const dock = chain("dock-1");
    const shelf = chain("shelf-1");
    // The portal was offline: the shelf's put-away reaches the gateway first.
    store.appendEntries("shelf-1", shelf("putaway", null, "bay-1", "2026-11-22T10:05:00.000Z"));
    store.appendEntries("dock-1", dock("receive", null, "dock", "2026-11-22T10:00:00.000Z"));

    expect(store.stock()).toEqual([{ sku: "A", zone: "bay-1", count: 1 }]);
    expect(store.tag(EPC).history).toHaveLength(2);
    expect(stockAsOf(store.db, new Date(Date.now() + 60_000), store.skuOfGtin)).toEqual(
      store.stock(),
    );
    // Shipped, then received again later: a return counts.
    store.appendEntries("dock-1", dock("ship", "dock", null, "2026-11-22T11:00:00.000Z"));
    store.appendEntries("dock-1", dock("receive", null, "dock", "2026-11-23T09:00:00.000Z"));
    expect(store.stock()).toEqual([{ sku: "A", zone: "dock", count: 1 }]);
    store.close();
  });
});
