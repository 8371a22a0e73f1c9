import { fileURLToPath } from "node:url";
import {
  type BrowserAssets,
  type BrowserBundleSpec,
  loadBrowserBundle,
} from "@comptoir/contracts/browser-build";

/** Replaced by the dist build (scripts/build.mjs) with the built assets as JSON text; absent in development. */
declare const COMPTOIR_BROWSER_BUNDLE_NODE_PAGES: string | undefined;
declare const COMPTOIR_BROWSER_BUNDLE_NODE_POS: string | undefined;

const source = (file: string) => fileURLToPath(new URL(`./browser/${file}`, import.meta.url));

/**
 * The warehouse and station pages, served under `/assets/`: one ES module per
 * page (their shared code in a chunk beside them) and the stylesheet.
 */
const NODE_PAGES_BUNDLE: BrowserBundleSpec = {
  name: "node-pages",
  entryPoints: {
    warehouse: source("warehouse.ts"),
    station: source("station.ts"),
    style: source("style.css"),
  },
  embedded:
    typeof COMPTOIR_BROWSER_BUNDLE_NODE_PAGES === "undefined"
      ? undefined
      : COMPTOIR_BROWSER_BUNDLE_NODE_PAGES,
};

/**
 * The counter's POS page, served under `/pos/` on counter nodes only: its own
 * bundle, so that a POS asset is never served by a node without a POS.
 */
const NODE_POS_BUNDLE: BrowserBundleSpec = {
  name: "node-pos",
  entryPoints: { pos: source("pos.ts"), style: source("pos.css") },
  embedded:
    typeof COMPTOIR_BROWSER_BUNDLE_NODE_POS === "undefined"
      ? undefined
      : COMPTOIR_BROWSER_BUNDLE_NODE_POS,
};

/** Every browser bundle of the node, for the dist build and the tests' one build before they start. */
export const NODE_BROWSER_BUNDLES: readonly BrowserBundleSpec[] = [
  NODE_PAGES_BUNDLE,
  NODE_POS_BUNDLE,
];

/**
 * The pages' assets by file name: embedded in the dist build; otherwise
 * bundled with esbuild once per process and cached on disk until a source
 * changes. The node awaits them at start; the routes ask again per request
 * (loadBrowserBundle answers from the same load).
 */
export const loadNodePageAssets = (): Promise<BrowserAssets> =>
  loadBrowserBundle(NODE_PAGES_BUNDLE);

/** The POS page's assets, as loadNodePageAssets. */
export const loadPosAssets = (): Promise<BrowserAssets> => loadBrowserBundle(NODE_POS_BUNDLE);
