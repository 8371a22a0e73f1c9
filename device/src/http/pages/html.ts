import type { NodeInfo } from "@comptoir/contracts";
import { shellHead } from "@comptoir/contracts/browser-build";

/**
 * The pages' HTML: static shells that the page scripts fill in; no data is
 * ever put in them. What a page offers follows the node's role: the dock's
 * order form on portals and stations only, the counter's POS in the menu of
 * a counter node.
 */

type Role = NodeInfo["role"];

/** What a shell is built for: the node's role, and whether it serves the POS. */
export interface PageSetting {
  role: Role;
  pos: boolean;
}

/** The roles whose node sets the dock's order: the dock portal and the packing station. */
export const hasDock = (role: Role): boolean => role === "portal" || role === "station";

function nav(pos: boolean): string {
  const counter = pos ? `<a href="/pos">Counter</a>` : "";
  return `<nav>${counter}<a href="/warehouse">Warehouse</a><a href="/station">Station</a></nav>`;
}

function page(title: string, name: string, body: string, pos: boolean): string {
  return `${shellHead({
    title: `${title} · Comptoir`,
    stylesheet: "/assets/style.css",
    script: `/assets/${name}.js`,
  })}<body data-page="${name}">
<header>
<h1>${title}</h1>
<span id="node">…</span>
<span id="live" data-kind="error">connecting…</span>
${nav(pos)}
</header>
<div id="alerts" role="alert" aria-live="assertive" hidden></div>
<p id="status" role="status" aria-live="polite"></p>
<main>
${body}
</main>
</body>
</html>
`;
}

const DOCK = `<section id="dock">
<h2>Dock order <span id="dock-current">…</span></h2>
<p id="dock-state" data-state=""></p>
<div id="dock-refusal" role="alert" hidden></div>
<form id="dock-form">
<input name="order" placeholder="order" autocomplete="off" aria-label="order" aria-describedby="dock-hint">
<input name="customer" placeholder="customer" autocomplete="off" aria-label="customer (optional)">
<button type="submit">Set</button>
<p id="dock-hint">Customer optional; an empty order clears the dock's.</p>
</form>
</section>`;

export const warehouseHtml = ({ role, pos }: PageSetting): string =>
  page(
    "Warehouse",
    "warehouse",
    `<section id="field-pane">
<h2>Tags in the field <span id="field-count" class="muted"></span></h2>
<div class="scroll">
<table id="field-table"><thead><tr><th>Product</th><th>Zone</th><th>Last seen</th><th class="count">Reads</th></tr></thead><tbody id="field"></tbody></table>
</div>
<details id="diagnostics">
<summary>Diagnostics: raw reads</summary>
<ul id="reads"></ul>
</details>
</section>
<section>
<h2>Recent movements</h2>
<ul id="movements"></ul>
</section>
<section>
<h2>Stock by zone <select id="zone-filter" aria-label="zone"><option value="">all zones</option></select></h2>
<div class="scroll">
<table><thead><tr><th>Zone</th><th>Product</th><th class="count">Count</th></tr></thead><tbody id="stock"></tbody></table>
</div>
</section>
<section>
<h2>Unknown tags</h2>
<ul id="unknown"></ul>
</section>
${hasDock(role) ? DOCK : ""}`,
    pos,
  );

export const stationHtml = ({ role, pos }: PageSetting): string =>
  page(
    "Station",
    "station",
    `<section>
<h2>Scan</h2>
<form id="scan-form">
<input id="scan" name="epc" placeholder="scan or type an EPC" autocomplete="off" autofocus aria-label="EPC">
<button type="submit">Look up</button>
</form>
</section>
<section>
<h2>Scanned items <span><span id="count">0</span> <button type="button" id="clear">Clear</button></span></h2>
<ul id="items"></ul>
</section>
<section>
<h2>Selected items</h2>
<div class="actions">
<input id="zone" list="zones" placeholder="zone" autocomplete="off" aria-label="zone">
<datalist id="zones"></datalist>
<button type="button" id="move">Move to zone</button>
<button type="button" id="assign">Assign to order</button>
</div>
</section>
<section>
<h2>Cycle count</h2>
<form id="count-form">
<input name="zone" list="zones" placeholder="zone counted" required autocomplete="off" aria-label="zone counted">
<input name="reason" value="cycle count" required aria-label="reason">
<button type="submit">Count scanned items</button>
</form>
<div id="count-result"></div>
</section>
${hasDock(role) ? DOCK : ""}`,
    pos,
  );
