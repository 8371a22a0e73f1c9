import { buildBrowserBundles } from "./browser-bundles.js";

/**
 * vitest globalSetup: builds the browser bundles once, before the workers
 * start, so that each worker reads the disk cache instead of bundling again.
 * A bundle that does not build fails the tests that serve it (each loads it
 * again and reports esbuild's error), not every test of the run.
 */
export default async function setup(): Promise<void> {
  try {
    await buildBrowserBundles();
  } catch (error) {
    console.warn(`browser bundles: not built before the tests: ${(error as Error).message}`);
  }
}
