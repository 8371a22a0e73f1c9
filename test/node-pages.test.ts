import { FakeNodeApi } from "@comptoir/device/http/testing";
import { describe, expect, it } from "vitest";
import { nodePages, screenshot } from "./support/node-page.js";

// The pages in a real headless Chromium, against the node's HTTP app on an
// ephemeral port over a fake NodeApi the test drives.

const A = "3034257BF7194E4000000001";
const B = "3034257BF7194E4000000002";
const C = "3034257BF7194E4000000003";

const open = nodePages({ refused: [400, 422] });

describe("the warehouse page", () => {
  it("shows live reads and movements, stock by zone, and commissions an unknown tag", async () => {
    const api = new FakeNodeApi({ nodeId: "dock-1", role: "portal" });
    await api.emitMovement({ epc: A, to: "dock" });
    await api.emitMovement({ epc: B, sku: "SKU-1", to: "shelf-a" });
    const { page, problems } = await open(api, "/warehouse", { width: 1000, height: 800 });

    await expect.poll(() => page.locator("#node").textContent()).toBe("dock-1 · portal");
    expect(await page.locator("#stock tr").allTextContents()).toEqual([
      "dockuncommissioned1",
      "shelf-aSKU-11",
    ]);
    expect(await page.locator("#unknown li[data-epc]").count()).toBe(1);

    // A read arrives live; data lands in the page as text, never as markup (the raw reads: under diagnostics).
    await page.locator("#diagnostics summary").click();
    api.emitRead(C, { reader: "<img src=x onerror=alert(1)>", antenna: 2 });
    const read = page.locator(`#reads li[data-epc="${C}"]`);
    await read.waitFor();
    expect(await read.textContent()).toContain("<img src=x onerror=alert(1)>#2");
    expect(await page.locator("#reads img").count()).toBe(0);

    // A movement arrives live: listed, counted in stock, and the tag waits to be commissioned.
    await api.emitMovement({ epc: C, to: "dock" });
    await page.locator(`#movements li[data-epc="${C}"]`).waitFor();
    expect(await page.locator(`#movements li[data-epc="${C}"]`).textContent()).toContain(
      "off site → dock",
    );
    await page.locator(`#unknown li[data-epc="${C}"]`).waitFor();
    await expect
      .poll(() => page.locator("#stock tr").first().textContent())
      .toBe("dockuncommissioned2");

    // Commissioning through the page reaches the API and updates the lists.
    const form = page.locator(`#unknown li[data-epc="${A}"] form`);
    await form.locator("input[name=sku]").fill("SKU-9");
    await screenshot(page, "warehouse");
    await form.locator("button").click();
    await expect
      .poll(() => page.locator("#status").textContent())
      .toBe(`commissioned ${A} as SKU-9`);
    expect(api.calls).toContainEqual({
      method: "commission",
      input: expect.objectContaining({ epc: A, sku: "SKU-9" }),
    });
    await expect.poll(() => page.locator(`#unknown li[data-epc="${A}"]`).count()).toBe(0);
    await expect.poll(() => page.locator("#stock tr").allTextContents()).toContain("dockSKU-91");

    // A refusal is shown, and changes nothing.
    const other = page.locator(`#unknown li[data-epc="${C}"] form`);
    await other.locator("input[name=sku]").fill("SKU-2");
    await other.locator("input[name=gtin]").fill("123");
    await other.locator("button").click();
    await expect
      .poll(() => page.locator("#status").textContent())
      .toBe("gtin: must be a 14-digit GTIN");
    expect(api.calls.filter((call) => call.method === "commission")).toHaveLength(1);
    expect(problems).toEqual([]);
  });
});

describe("a chain the gateway marked broken (issue 13, item 16)", () => {
  it("is said at the top of the warehouse and station pages, with the seq and reason", async () => {
    for (const [role, path] of [
      ["portal", "/warehouse"],
      ["station", "/station"],
    ] as const) {
      const api = new FakeNodeApi({ nodeId: "dock-1", role });
      api.healthParts.chain = {
        ok: false,
        detail:
          "broken at seq 12: bad hash (the gateway stores nothing of this chain from there on)",
      };
      const { page, problems } = await open(api, path, { width: 1000, height: 800 });
      const banner = page.locator("#chain[role=alert]");
      await banner.waitFor();
      expect(await banner.textContent()).toBe(
        "Ledger broken at seq 12: bad hash (the gateway stores nothing of this chain from there on). Tell the site's administrator.",
      );
      await screenshot(page, `chain-broken-${role}`);
      expect(problems.filter((problem) => !problem.includes("503"))).toEqual([]);
    }
  });
});

describe("the station page", () => {
  it("shows a scanned item with its product, zone and movements; moves, assigns to the dock order, counts a zone", async () => {
    const api = new FakeNodeApi({ nodeId: "desk-1", role: "station", zones: ["dock", "shelf-a"] });
    await api.emitMovement({ epc: B, sku: "SKU-1", to: "dock" });
    const { page, problems } = await open(api, "/station", { width: 390, height: 844 });

    // A handheld types the EPC and Enter; the desk reader's scans arrive as events.
    await page.locator("#scan").fill(B.toLowerCase());
    await page.locator("#scan").press("Enter");
    const itemB = page.locator(`#items > li[data-epc="${B}"]`);
    await itemB.waitFor();
    expect(await itemB.locator(".product").textContent()).toBe("SKU-1");
    expect(await itemB.locator(".zone").textContent()).toBe("zone: dock");
    expect(await itemB.locator(".history li").allTextContents()).toEqual([
      expect.stringContaining("receive"),
    ]);
    api.emitRead(A);
    const itemA = page.locator(`#items > li[data-epc="${A}"]`);
    await itemA.waitFor();
    expect(await itemA.locator(".product").textContent()).toContain("not commissioned");
    expect(await itemA.locator("form.commission").count()).toBe(1);
    expect(await page.locator("#count").textContent()).toBe("2");

    await page.locator("#zone").fill("shelf-a");
    await page.locator("#move").click();
    await expect.poll(() => page.locator("#status").textContent()).toBe("moved 2 to shelf-a");
    expect(api.calls).toContainEqual({ method: "move", input: { epcs: [A, B], zone: "shelf-a" } });
    await expect.poll(() => itemB.locator(".zone").textContent()).toBe("zone: shelf-a");
    await expect.poll(() => itemA.locator(".zone").textContent()).toBe("zone: shelf-a");
    expect(api.stock()).toEqual([
      { sku: null, zone: "shelf-a", count: 1 },
      { sku: "SKU-1", zone: "shelf-a", count: 1 },
    ]);

    // Assigning without a dock order is refused with the reason, and nothing moves.
    await page.locator("#assign").click();
    await expect
      .poll(() => page.locator("#status").textContent())
      .toContain("the dock has no current order");
    expect(api.calls.filter((call) => call.method === "move")).toHaveLength(1);

    // With a dock order set from the page, the same items are assigned to it.
    await page.locator("#dock-form input[name=order]").fill("SO-1042");
    await page.locator("#dock-form input[name=customer]").fill("acme");
    await page.locator("#dock-form button").click();
    await expect.poll(() => page.locator("#assign").textContent()).toBe("Assign to order SO-1042");
    expect(api.dockOrder()).toEqual({ order: "SO-1042", customer: "acme" });
    await page.locator("#zone").fill("dock");
    await page.locator("#assign").click();
    await expect
      .poll(() => page.locator("#status").textContent())
      .toBe("assigned 2 to order SO-1042 in dock");
    expect(api.tag(B).movements[0]).toMatchObject({ to: "dock", reason: "order SO-1042 for acme" });

    // A cycle count of the dock with only B scanned: A is missing, posted as an adjustment.
    await page.locator(`#items > li[data-epc="${A}"] button.remove`).click();
    await page.locator("#count-form input[name=zone]").fill("dock");
    await page.locator("#count-form input[name=reason]").fill("weekly count");
    await page.locator("#count-form button").click();
    await expect.poll(() => page.locator("#count-result").textContent()).toContain(`missing: ${A}`);
    expect(api.calls).toContainEqual({
      method: "cycleCount",
      input: { zone: "dock", seen: [B], reason: "weekly count" },
    });
    expect(api.tag(A).movements[0]).toMatchObject({
      kind: "adjust",
      from: "dock",
      to: null,
      reason: "weekly count",
    });
    expect(api.stock({ zone: "dock" })).toEqual([{ sku: "SKU-1", zone: "dock", count: 1 }]);
    await screenshot(page, "station");
    expect(problems).toEqual([]);
  });
});
