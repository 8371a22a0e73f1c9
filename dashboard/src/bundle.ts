import { fileURLToPath } from "node:url";
import {
  type BrowserAssets,
  type BrowserBundleSpec,
  loadBrowserBundle,
} from "@comptoir/contracts/browser-build";

/** Replaced by the dist build (scripts/build.mjs) with the built assets as JSON text; absent in development. */
declare const COMPTOIR_BROWSER_BUNDLE_DASHBOARD: string | undefined;

const source = (file: string) => fileURLToPath(new URL(`./browser/${file}`, import.meta.url));

/** The dashboard's browser code: one ES module (main.js, with its source map) and one stylesheet. */
export const DASHBOARD_BUNDLE: BrowserBundleSpec = {
  name: "dashboard",
  entryPoints: { main: source("main.ts"), style: source("style.css") },
  embedded:
    typeof COMPTOIR_BROWSER_BUNDLE_DASHBOARD === "undefined"
      ? undefined
      : COMPTOIR_BROWSER_BUNDLE_DASHBOARD,
};

/**
 * The dashboard's assets by file name, as the gateway serves them under
 * DASHBOARD_ASSET_PATH: embedded in the dist build; otherwise bundled with
 * esbuild at start and cached on disk until a source changes.
 */
export function loadDashboardAssets(): Promise<BrowserAssets> {
  return loadBrowserBundle(DASHBOARD_BUNDLE);
}
