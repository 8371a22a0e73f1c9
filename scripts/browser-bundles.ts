// Every browser bundle of the project: built once before the tests start
// (vitest's globalSetup, scripts/vitest-browser-bundles.ts), and embedded in
// the CLI by the dist build (scripts/build.mjs, through scripts/write-browser-bundles.ts).
import {
  type BrowserAssets,
  type BrowserBundleSpec,
  loadBrowserBundle,
} from "@comptoir/contracts/browser-build";
import { DASHBOARD_BUNDLE } from "@comptoir/dashboard";
import { NODE_BROWSER_BUNDLES } from "@comptoir/device/browser-bundles";

export const BROWSER_BUNDLES: readonly BrowserBundleSpec[] = [
  DASHBOARD_BUNDLE,
  ...NODE_BROWSER_BUNDLES,
];

/** Builds (or takes from the disk cache) every bundle, never the embedded copy. */
export async function buildBrowserBundles(): Promise<Record<string, BrowserAssets>> {
  const built: Record<string, BrowserAssets> = {};
  for (const spec of BROWSER_BUNDLES) {
    built[spec.name] = await loadBrowserBundle({ ...spec, embedded: undefined });
  }
  return built;
}
