import { PAGE_CSP } from "@comptoir/contracts/browser-build";

export { DASHBOARD_BUNDLE, loadDashboardAssets } from "./bundle.js";
export { DASHBOARD_HTML } from "./html.js";

/** Where the gateway serves the assets below. */
export const DASHBOARD_ASSET_PATH = "/dashboard/assets";

/** The gateway's own scripts, styles, API and live feed only: the policy of every page we ship. */
export const DASHBOARD_CSP = PAGE_CSP;

/** The dashboard's pages and the permission each needs to be shown (see the gateway's roles). */
export const DASHBOARD_PAGES = [
  { id: "overview", needs: [] },
  { id: "stock", needs: ["stock:read"] },
  { id: "movements", needs: ["movements:read"] },
  { id: "nodes", needs: ["nodes:read"] },
  { id: "discrepancies", needs: ["reconciliation:read"] },
  { id: "orders", needs: ["orders:read"] },
  { id: "credit", needs: ["receivables:read"] },
  // Every part needs valuation:read or analytics:read; every role holding the first holds the second.
  { id: "value", needs: ["analytics:read"] },
] as const;
