import { shellHead } from "@comptoir/contracts/browser-build";

/** The pages' HTML: static shells that the page scripts fill in; no data is ever put in them. */

function page(title: string, name: string, body: string): string {
  return `${shellHead({
    title: `${title} · Comptoir`,
    stylesheet: "/assets/style.css",
    script: `/assets/${name}.js`,
  })}<body data-page="${name}">
<header>
<h1>${title}</h1>
<span id="node">…</span>
<span id="live" data-kind="error">connecting…</span>
<nav><a href="/warehouse">Warehouse</a><a href="/station">Station</a></nav>
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
<input name="order" placeholder="order (empty clears)" autocomplete="off" aria-label="order">
<input name="customer" placeholder="customer (optional)" autocomplete="off" aria-label="customer">
<button type="submit">Set</button>
</form>
</section>`;

export const WAREHOUSE_HTML = page(
  "Warehouse",
  "warehouse",
  `<section>
<h2>Live reads</h2>
<ul id="reads"></ul>
</section>
<section>
<h2>Recent movements</h2>
<ul id="movements"></ul>
</section>
<section>
<h2>Stock by zone <select id="zone-filter" aria-label="zone"><option value="">all zones</option></select></h2>
<table><thead><tr><th>Zone</th><th>SKU</th><th>Count</th></tr></thead><tbody id="stock"></tbody></table>
</section>
<section>
<h2>Unknown tags</h2>
<ul id="unknown"></ul>
</section>
${DOCK}`,
);

export const STATION_HTML = page(
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
${DOCK}`,
);
