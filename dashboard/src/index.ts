export { DASHBOARD_BUNDLE, loadDashboardAssets } from "./bundle.js";
export { DASHBOARD_HTML } from "./html.js";

/** Where the gateway serves the assets below. */
export const DASHBOARD_ASSET_PATH = "/dashboard/assets";

/**
 * The gateway's own scripts, styles, API and live feed only: no inline
 * script, no third party, nothing from the internet (a site network may have none).
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The dashboard's pages and the permission each needs to be shown (see the gateway's roles). */
export const DASHBOARD_PAGES = [
  { id: "overview", needs: [] },
  { id: "stock", needs: ["stock:read"] },
  { id: "movements", needs: ["movements:read"] },
  { id: "nodes", needs: ["nodes:read"] },
  { id: "discrepancies", needs: ["reconciliation:read"] },
  { id: "credit", needs: ["receivables:read"] },
] as const;
