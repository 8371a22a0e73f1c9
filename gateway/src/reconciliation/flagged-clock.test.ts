import { generateIdentity } from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { afterEach, describe, expect, it } from "vitest";
import { ClockFlags } from "../store/clock-flags.js";
import { stockAsOf } from "../store/stock-history.js";
import { type ReconciliationSetup, reconciliationSetup } from "../testing/gateway-app.js";

let s: ReconciliationSetup;
afterEach(async () => {
  await s?.close();
});

const NOW = "2026-03-20T12:00:00.000Z";

describe("movements from a node whose clock was flagged when they arrived", () => {
  it("are aged by the gateway's receive time in the reconciliation; other nodes' by their own time", async () => {
    s = await reconciliationSetup(NOW);
    await s.customer("acme");
    await s.product("NUT", 90);
    // The dock's clock is seven weeks behind (a Pi that booted without NTP): flagged at 11:00.
    new ClockFlags(s.store.db).raise("dock-1", "2026-03-20T11:00:00.000Z", -47 * 86_400_000);
    const wrong = s.node("dock-1");
    wrong.move("ship", "NUT", 1, "2026-02-01T12:00:00.000Z", { order: "SO-9", customer: "acme" });
    wrong.sync();
    const right = s.node("dock-2");
    right.move("ship", "NUT", 1, "2026-03-01T12:00:00.000Z", { order: "SO-8", customer: "acme" });
    right.sync();

    const ages = async () =>
      (await s.call("GET", "/reconciliation?customer=acme")).body.discrepancies
        .filter((d: { kind: string }) => d.kind === "shipped_not_invoiced")
        .map((d: { order: string; ageDays: number }) => [d.order, d.ageDays]);
    // Received today: SO-9 is within the 3-day grace period, whatever its node's clock said.
    expect(await ages()).toEqual([["SO-8", 19]]);
    s.clock.advance(4 * 86_400_000);
    expect(await ages()).toEqual([
      ["SO-8", 23],
      ["SO-9", 4],
    ]);
    // The entry itself keeps the time its node wrote.
    const [entry] = [...s.store.entries("dock-1")];
    expect(entry?.ts).toBe("2026-02-01T12:00:00.000Z");
  });

  it("place an item by receive time, so a real move is not taken for late news (stock now and as of)", async () => {
    s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
    const epc = "30340000000000000000ABCD";
    for (const id of ["dock-1", "back-1"]) s.store.enrollNode(id, generateIdentity().publicKeyHex);
    const move = (from: string | null, to: string | null, at: string) => ({
      epc,
      sku: "NUT",
      kind: to === null ? "ship" : "receive",
      from,
      to,
      reader: "portal-1",
      antennas: [1],
      reads: 3,
      at,
    });
    // 12:00: shipped out through the dock, whose clock is right.
    const dock = chainSealer("dock-1");
    s.store.appendEntries("dock-1", [
      dock.seal(
        "movement",
        move(null, "dock", "2026-03-20T11:00:00.000Z"),
        "2026-03-20T11:00:00.000Z",
      ),
      dock.seal(
        "movement",
        move("dock", null, "2026-03-20T12:00:00.000Z"),
        "2026-03-20T12:00:00.000Z",
      ),
    ]);
    // 12:30: returned at the back door, whose node is two hours behind and flagged since 12:10.
    new ClockFlags(s.store.db).raise("back-1", "2026-03-20T12:10:00.000Z", -7_200_000);
    s.clock.set("2026-03-20T12:30:00.000Z");
    const back = chainSealer("back-1");
    s.store.appendEntries("back-1", [
      back.seal(
        "movement",
        move(null, "returns", "2026-03-20T10:30:00.000Z"),
        "2026-03-20T10:30:00.000Z",
      ),
    ]);

    const here = (rows: { zone: string; count: number }[]) =>
      rows.filter((row) => row.count > 0).map((row) => [row.zone, row.count]);
    expect(here(s.store.stock())).toEqual([["returns", 1]]);
    const skus = () => undefined;
    expect(here(stockAsOf(s.store.db, new Date("2026-03-20T12:31:00.000Z"), skus))).toEqual([
      ["returns", 1],
    ]);
  });
});
