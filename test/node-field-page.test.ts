import type { Catalog } from "@comptoir/contracts";
import { FakeNodeApi } from "@comptoir/device/http/testing";
import { describe, expect, it } from "vitest";
import { nodePages, screenshot } from "./support/node-page.js";

// Issue 17 on the warehouse page, in a real headless Chromium against the
// node's HTTP app over a fake NodeApi: the tags in the field, one row per
// tag with its product, zone, last read and count, the raw reads behind
// "diagnostics"; ship lines with their order; products by name.

const open = nodePages({ refused: [422] });

// A and B are SGTINs of the desk lamp; C is a tag commissioned to a SKU.
const A = "3034257BF7194E4000000001";
const B = "3034257BF7194E4000000002";
const C = "E28011606000020000000003";
const GTIN_LAMP = "80614141123458";

const CATALOG: Catalog = {
  version: 1,
  currency: "EUR",
  asOf: "2026-12-07T08:00:00.000Z",
  products: [
    { sku: "LAMP", gtin: GTIN_LAMP, name: "Desk lamp", unitPrice: 15_000 },
    { sku: "CHAIR", name: "Oak chair", unitPrice: 15_000 },
  ],
};
const options = { catalog: () => CATALOG };

describe("the tags in the field", () => {
  it("groups the repeated reads of a tag into one row with its product, zone and count; the raw reads wait behind diagnostics", async () => {
    const api = new FakeNodeApi({ nodeId: "dock-1", role: "portal", zones: ["dock", "bay-1"] });
    await api.commission({ epc: C, sku: "CHAIR" });
    api.emitRead(A, { antenna: 1 });
    api.emitRead(A, { antenna: 1 });
    const { page, problems } = await open(api, "/warehouse", undefined, options);

    const rows = page.locator("#field tr[data-epc]");
    await expect.poll(() => rows.count()).toBe(1);
    // Reads go on arriving live: the same tag again, another tag of the same product, a chair.
    api.emitRead(A, { antenna: 1 });
    api.emitRead(B, { antenna: 2 });
    api.emitRead(C, { antenna: 2 });
    api.emitRead(A, { antenna: 1 });
    await expect.poll(() => rows.count()).toBe(3);
    const rowA = page.locator(`#field tr[data-epc="${A}"]`);
    await expect.poll(() => rowA.locator("td.count").textContent()).toBe("4");
    expect(await rowA.locator(".product-name").textContent()).toBe("Desk lamp");
    expect(await rowA.locator("td.zone").textContent()).toBe("dock");
    const rowB = page.locator(`#field tr[data-epc="${B}"]`);
    expect(await rowB.locator("td.count").textContent()).toBe("1");
    expect(await rowB.locator("td.zone").textContent()).toBe("bay-1");
    const rowC = page.locator(`#field tr[data-epc="${C}"]`);
    await expect.poll(() => rowC.locator(".product-name").textContent()).toBe("Oak chair");
    // The tag read last comes first.
    expect(await rows.first().getAttribute("data-epc")).toBe(A);
    expect(await page.locator("#field-count").textContent()).toBe("3 tags");

    // The raw stream is there, but hidden until diagnostics are opened.
    expect(await page.locator("#reads li").count()).toBe(6);
    expect(await page.locator("#reads").isVisible()).toBe(false);
    await page.locator("#diagnostics summary").click();
    await expect.poll(() => page.locator("#reads").isVisible()).toBe(true);
    expect(await page.locator(`#reads li[data-epc="${A}"]`).count()).toBe(4);
    await screenshot(page, "warehouse-field");
    expect(problems).toEqual([]);
  });
});

describe("the warehouse page's movements and stock", () => {
  it("shows a ship line with its order, and products by name", async () => {
    const api = new FakeNodeApi({ nodeId: "dock-1", role: "portal", zones: ["dock"] });
    await api.emitMovement({ epc: A, gtin: GTIN_LAMP, to: "dock" });
    await api.emitMovement({ epc: C, sku: "CHAIR", to: "dock" });
    const { page, problems } = await open(api, "/warehouse", undefined, options);

    await api.emitMovement({
      epc: A,
      gtin: GTIN_LAMP,
      kind: "ship",
      from: "dock",
      to: null,
      order: "SO-1042",
      customer: "acme",
    });
    const ship = page.locator(`#movements li[data-epc="${A}"]`).first();
    await expect.poll(() => ship.locator(".kind").textContent()).toBe("ship");
    expect(await ship.locator(".order").textContent()).toBe(" order SO-1042 for acme");
    expect(await ship.locator(".sku").textContent()).toBe("Desk lamp");
    expect(await page.locator(`#movements li[data-epc="${C}"] .sku`).textContent()).toBe(
      "Oak chair",
    );
    await expect
      .poll(() => page.locator("#stock tr").allTextContents())
      .toEqual(["dockOak chairCHAIR1"]);
    expect(problems).toEqual([]);
  });
});
