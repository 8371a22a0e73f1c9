import { assetNamed } from "@comptoir/contracts/browser-build";
import { describe, expect, it } from "vitest";
import { loadNodePageAssets, loadPosAssets } from "./bundle.js";
import { stationHtml, warehouseHtml } from "./html.js";
import { POS_HTML } from "./pos-html.js";

/** The paths of the scripts and stylesheets a page's HTML links to. */
function linked(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? "");
}

describe("the node's browser bundles", () => {
  it("hold every script and stylesheet the pages link to, under the path they are served at", async () => {
    const pages = await loadNodePageAssets();
    const pos = await loadPosAssets();
    const portal = { role: "portal", pos: false } as const;
    for (const html of [warehouseHtml(portal), stationHtml(portal)]) {
      expect(linked(html)).toHaveLength(2);
      for (const path of linked(html)) {
        expect(path.startsWith("/assets/"), path).toBe(true);
        expect(assetNamed(pages, path.slice("/assets/".length)), path).toBeDefined();
      }
    }
    const posLinks = linked(POS_HTML);
    expect(posLinks).toEqual(["/pos/style.css", "/pos/pos.js"]);
    for (const path of posLinks) expect(assetNamed(pos, path.slice("/pos/".length))).toBeDefined();
  });

  it("are plain modules the pages' policy allows: no eval, no markup from strings", async () => {
    for (const assets of [await loadNodePageAssets(), await loadPosAssets()]) {
      for (const [name, asset] of Object.entries(assets)) {
        if (!name.endsWith(".js")) continue;
        expect(asset.type).toContain("text/javascript");
        expect(asset.body, name).not.toMatch(/\beval\(|new Function|innerHTML|insertAdjacentHTML/);
      }
    }
  });

  it("looks a file up among the bundle's own names only", async () => {
    const pages = await loadNodePageAssets();
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"])
      expect(assetNamed(pages, name)).toBeUndefined();
  });
});
