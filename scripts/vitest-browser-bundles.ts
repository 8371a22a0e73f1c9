import { buildBrowserBundles } from "./browser-bundles.js";

/**
 * vitest globalSetup: builds the browser bundles once, before the workers
 * start, so that each worker reads the disk cache instead of bundling again.
 */
export default async function setup(): Promise<void> {
  await buildBrowserBundles();
}
