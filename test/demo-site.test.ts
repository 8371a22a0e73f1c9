import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type DemoSite,
  demoPaths,
  demoTerminalToken,
  PERSON_COUNTER,
  SIMULATED_COUNTER,
  startDemoSite,
} from "@comptoir/cli/demo";
import { DEMO_PRODUCTS, JsonApi, SiteWorld } from "@comptoir/simulators";
import { afterEach, describe, expect, it, vi } from "vitest";

let site: DemoSite | undefined;
let root: string | undefined;

afterEach(async () => {
  await site?.stop();
  site = undefined;
  if (root) await rm(root, { recursive: true, force: true });
});

interface Movement {
  chain: string;
  epc: string;
  kind: string;
  to: string | null;
}

interface StockRows {
  rows: { sku: string; zone: string; count: number }[];
}

describe("npm start: the simulated site", () => {
  it("moves goods through a real gateway, sells at the counter, invoices, and resumes after a restart", async () => {
    root = await mkdtemp(join(tmpdir(), "comptoir-demo-"));
    const lines: string[] = [];
    site = await startDemoSite({ root, httpPort: 0, seed: 11, say: (line) => lines.push(line) });
    const api = new JsonApi(`${site.gateway.url}/api/v1`, site.adminToken);

    // A person starts a basket at their counter (the page's "add by GTIN"): the simulated clerk,
    // who sells at its own counter, must leave it alone.
    const personal = site.nodes.get(PERSON_COUNTER);
    const till = new JsonApi(
      `${personal?.url}/api/v1`,
      demoTerminalToken(demoPaths(root).nodeData(PERSON_COUNTER)),
    );
    // A French site: the gateway says so, and the counter (which hears it) writes money its way.
    expect(await api.get("/site")).toEqual({
      locale: "fr-FR",
      currency: "EUR",
      timeZone: "Europe/Paris",
    });
    expect(await till.get<{ format: { locale: string } }>("/node")).toMatchObject({
      format: { locale: "fr-FR", currency: "EUR" },
    });
    const gtin = DEMO_PRODUCTS[0]?.gtin as string;
    // Polled: the catalog reaches the counter over MQTT once the node has synced.
    await vi.waitFor(() => till.post("/pos/basket/add", { gtin, quantity: 1 }), {
      timeout: 30_000,
      interval: 500,
    });

    // Received through the dock door and put away on a shelf, as the gateway sees it.
    await vi.waitFor(
      async () => {
        const { rows } = await api.get<StockRows>("/stock");
        expect(rows.some((row) => row.zone.startsWith("bay-") && row.count > 0)).toBe(true);
      },
      { timeout: 60_000, interval: 500 },
    );
    // Received once, at the dock door: the shelf puts away what it has not seen, it does not
    // receive it again (which would count every delivery twice in purchases reconciliation).
    // (Polled: the two nodes sync on their own, the dock's news may come second.)
    await vi.waitFor(
      async () => {
        const { movements } = await api.get<{ movements: Movement[] }>("/movements?limit=1000");
        const shelved = movements.filter((m) => m.chain === "shelf-1" && m.to?.startsWith("bay-"));
        expect(shelved.length).toBeGreaterThan(0);
        for (const item of shelved) {
          const received = movements.filter((m) => m.epc === item.epc && m.kind === "receive");
          expect(received.map((m) => m.chain)).toEqual(["dock-1"]);
        }
      },
      { timeout: 20_000, interval: 500 },
    );

    // A counter sale on account reached the gateway's exposure, then accounting invoiced it
    // (the supplier's invoices for the deliveries come first).
    await vi.waitFor(
      async () => {
        const { invoices } = await api.get<{ invoices: unknown[] }>("/invoices?direction=customer");
        expect(invoices.length).toBeGreaterThan(0);
        expect(lines.some((line) => line.startsWith("counter: "))).toBe(true);
      },
      { timeout: 90_000, interval: 500 },
    );
    // The simulated clerk sold at its own till; the person's basket is as they left it.
    await vi.waitFor(
      async () => {
        const { movements } = await api.get<{ movements: Movement[] }>("/movements?limit=1000");
        expect(movements.some((m) => m.kind === "sale" && m.chain === SIMULATED_COUNTER)).toBe(
          true,
        );
        expect(movements.filter((m) => m.chain === PERSON_COUNTER)).toEqual([]);
      },
      { timeout: 90_000, interval: 500 },
    );
    const basket = await till.get<{ lines: { gtin?: string; quantity: number }[] }>("/pos/basket");
    expect(basket.lines).toMatchObject([{ gtin, quantity: 1 }]);
    // Every delivery is invoiced by the supplier under the purchase order the dock door saw.
    const { invoices: bought } = await api.get<{ invoices: { orderRef: string | null }[] }>(
      "/invoices?direction=supplier",
    );
    expect(bought.length).toBeGreaterThan(0);
    expect(bought.every((invoice) => invoice.orderRef?.startsWith("PO-"))).toBe(true);
    const { nodes } = await api.get<{ nodes: { id: string; chain: { state: string } }[] }>(
      "/nodes",
    );
    expect(nodes.map((node) => node.id).sort()).toEqual([
      "counter-1",
      "counter-2",
      "dock-1",
      "shelf-1",
    ]);
    const page = await fetch(site.dashboardUrl);
    expect(await page.text()).toMatch(/<title>Comptoir/);
    expect(site.posUrl).toBe(`${personal?.url}/pos`);
    for (const url of [site.posUrl, site.simulatedPosUrl])
      expect((await fetch(url)).status).toBe(200);

    const token = site.adminToken;
    const shelved = Object.keys(site.world.state.shelved).sort();
    await site.stop();
    site = undefined;

    // The goods on the shelves are kept: a restarted site shows the same tags to the shelf reader.
    const saved = await SiteWorld.open(join(root, "world.json"));
    expect(Object.keys(saved.state.shelved).sort()).toEqual(shelved);
    expect(saved.shelf.epcs().sort()).toEqual(shelved);

    // Again on the same folder: the same token, the same nodes.
    site = await startDemoSite({ root, httpPort: 0, seed: 12 });
    expect(site.adminToken).toBe(token);
    expect((await readFile(join(root, "admin-token"), "utf8")).trim()).toBe(token);
    const again = new JsonApi(`${site.gateway.url}/api/v1`, token);
    const after = await again.get<{ nodes: { id: string }[] }>("/nodes");
    expect(after.nodes).toHaveLength(4);
    await vi.waitFor(
      async () => {
        const health = await again.get<{ nodes: unknown }>("/health");
        expect(health).toMatchObject({ status: "ok" });
      },
      { timeout: 20_000, interval: 500 },
    );
  });
});
