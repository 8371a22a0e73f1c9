import { CHARTS_JS } from "./assets/charts-js.js";
import { CORE_JS } from "./assets/core-js.js";
import { DATA_JS } from "./assets/data-js.js";
import { DISCREPANCIES_JS } from "./assets/discrepancies-js.js";
import { ITEMS_JS } from "./assets/items-js.js";
import { LIVE_JS } from "./assets/live-js.js";
import { MAIN_JS } from "./assets/main-js.js";
import { MOVEMENTS_JS } from "./assets/movements-js.js";
import { NODES_JS } from "./assets/nodes-js.js";
import { OVERVIEW_JS } from "./assets/overview-js.js";
import { RECEIVABLES_JS } from "./assets/receivables-js.js";
import { STOCK_JS } from "./assets/stock-js.js";
import { DASHBOARD_HTML } from "./html.js";
import { STYLE_CSS } from "./style-css.js";

export { DASHBOARD_HTML };

/** Where the gateway serves the assets below. */
export const DASHBOARD_ASSET_PATH = "/dashboard/assets";

/**
 * The gateway's own scripts, styles, API and live feed only: no inline
 * script, no third party, nothing from the internet (a site network may have none).
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const JS = "text/javascript; charset=utf-8";

/**
 * The dashboard as the gateway serves it: hand-written ES modules and one
 * stylesheet, kept as strings so that the bundled CLI carries them with no
 * files to copy and no build step.
 */
export const DASHBOARD_ASSETS: Readonly<Record<string, { body: string; type: string }>> = {
  "style.css": { body: STYLE_CSS, type: "text/css; charset=utf-8" },
  "core.js": { body: CORE_JS, type: JS },
  "data.js": { body: DATA_JS, type: JS },
  "live.js": { body: LIVE_JS, type: JS },
  "charts.js": { body: CHARTS_JS, type: JS },
  "items.js": { body: ITEMS_JS, type: JS },
  "overview.js": { body: OVERVIEW_JS, type: JS },
  "stock.js": { body: STOCK_JS, type: JS },
  "movements.js": { body: MOVEMENTS_JS, type: JS },
  "nodes.js": { body: NODES_JS, type: JS },
  "discrepancies.js": { body: DISCREPANCIES_JS, type: JS },
  "receivables.js": { body: RECEIVABLES_JS, type: JS },
  "main.js": { body: MAIN_JS, type: JS },
};

/** The dashboard's pages and the permission each needs to be shown (see the gateway's roles). */
export const DASHBOARD_PAGES = [
  { id: "overview", needs: [] },
  { id: "stock", needs: ["stock:read"] },
  { id: "movements", needs: ["movements:read"] },
  { id: "nodes", needs: ["nodes:read"] },
  { id: "discrepancies", needs: ["reconciliation:read"] },
  { id: "credit", needs: ["receivables:read"] },
] as const;
