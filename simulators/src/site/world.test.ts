import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_PRODUCTS } from "./demo-data.js";
import { SiteWorld } from "./world.js";

const product = DEMO_PRODUCTS[0] as (typeof DEMO_PRODUCTS)[number];

describe("the simulated site's world file", () => {
  it("brings back the goods on the shelves, shown to the shelf reader again", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "comptoir-world-")), "world.json");
    const world = await SiteWorld.open(file);
    const epcs = world.newItems(product, 3);
    for (const epc of epcs) world.putOnShelf(epc, product.gtin, 2);
    await world.save();
    const again = await SiteWorld.open(file);
    expect(again.shelf.epcs().sort()).toEqual([...epcs].sort());
    // Serials go on from where they were: a tag is never issued twice.
    expect(again.newItems(product, 1)[0]).not.toBe(epcs[0]);
    expect(again.newItems(product, 1)).not.toEqual(expect.arrayContaining(epcs));
  });

  it("says why it starts over when the file cannot be read back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-world-"));
    const problems: string[] = [];
    await writeFile(join(dir, "broken.json"), "{ not json");
    const broken = await SiteWorld.open(join(dir, "broken.json"), (m) => problems.push(m));
    expect(broken.shelf.size).toBe(0);
    await writeFile(join(dir, "wrong.json"), JSON.stringify({ serials: {}, shelved: 3 }));
    await SiteWorld.open(join(dir, "wrong.json"), (m) => problems.push(m));
    expect(problems).toEqual([
      expect.stringMatching(/broken\.json is not JSON/),
      expect.stringMatching(/wrong\.json: shelved .*starts over/),
    ]);
  });
});
