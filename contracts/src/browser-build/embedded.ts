/**
 * The identifier the dist build (scripts/build.mjs) replaces with a bundle's
 * assets, through esbuild's `define`: `dashboard` → `COMPTOIR_BROWSER_BUNDLE_DASHBOARD`.
 * The package that owns the bundle reads that identifier itself, so that the
 * assets land in its own chunk (a node never parses the dashboard's).
 */
export function embeddedName(bundle: string): string {
  return `COMPTOIR_BROWSER_BUNDLE_${bundle.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}
