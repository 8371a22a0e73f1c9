import { describe, expect, it } from "vitest";
import { cleanupAfterEach, tempDir } from "../testing/broker.js";
import { ReorderDemand } from "./reorder-demand.js";
import { reorderSite } from "./reorder-testing.js";

const defer = cleanupAfterEach();
const GTIN = "03012345678900";

async function site() {
  const dir = await tempDir(defer, "comptoir-reorder-demand-");
  const s = reorderSite(dir, "2026-11-22T09:00:00.000Z");
  defer(async () => s.store.close());
  return { ...s, demand: new ReorderDemand(s.store.db) };
}

const sorted = (rows: { sku: string; zone: string; gone: number; leftZone: number }[]) =>
  rows.map((row) => `${row.sku}@${row.zone}: gone ${row.gone}, left ${row.leftZone}`).sort();

describe("reorder demand", () => {
  it("counts each movement once, however reads and batches of the same instant interleave", async () => {
    const s = await site();
    s.receive("SKU-1", 10);
    s.out("SKU-1", 2);
    expect(sorted(s.demand.read("2026-11-22", "2026-11-22"))).toEqual([
      "SKU-1@shelf: gone 2, left 2",
    ]);
    // Another batch received in the same millisecond as the one read live above.
    s.out("SKU-1", 1, "sale");
    s.out("SKU-1", 3, "pick", "shelf", "dock");
    expect(sorted(s.demand.read("2026-11-22", "2026-11-22"))).toEqual([
      "SKU-1@shelf: gone 3, left 6",
    ]);
    s.clock.advance(1000);
    s.out("SKU-1", 2, "ship", "dock");
    s.out("SKU-1", 1, "adjust", "shelf"); // a write-off is not demand
    expect(sorted(s.demand.read("2026-11-22", "2026-11-22"))).toEqual([
      "SKU-1@dock: gone 2, left 2",
      "SKU-1@shelf: gone 3, left 6",
    ]);
    expect(sorted(s.demand.read("2026-11-22", "2026-11-22"))).toEqual([
      "SKU-1@dock: gone 2, left 2",
      "SKU-1@shelf: gone 3, left 6",
    ]);
    // Days are the movements' own (UTC), the window's bounds inclusive.
    s.clock.advance(86_400_000);
    s.out("SKU-1", 1);
    expect(sorted(s.demand.read("2026-11-23", "2026-11-23"))).toEqual([
      "SKU-1@shelf: gone 1, left 1",
    ]);
    expect(s.demand.read("2026-11-24", "2026-12-01")).toEqual([]);
    // A second reader over the same store (the list's and the watch's) folds nothing twice.
    expect(sorted(new ReorderDemand(s.store.db).read("2026-11-22", "2026-11-23"))).toEqual([
      "SKU-1@dock: gone 2, left 2",
      "SKU-1@shelf: gone 4, left 7",
    ]);
  });

  it("finds a GTIN's product when read: a GTIN added to the catalog later counts its past units", async () => {
    const s = await site();
    s.receive(GTIN, 3);
    s.out(GTIN, 2);
    s.clock.advance(1000);
    s.receive("SKU-1", 1); // the GTIN's movements are now folded in, not read live
    expect(s.demand.read("2026-11-22", "2026-11-22")).toEqual([]);
    s.store.db.prepare("INSERT INTO product_gtins (gtin, sku) VALUES (?, ?)").run(GTIN, "SKU-2");
    expect(sorted(s.demand.read("2026-11-22", "2026-11-22"))).toEqual([
      "SKU-2@shelf: gone 2, left 2",
    ]);
  });
});
