import { shellHead } from "@comptoir/contracts/browser-build";

/** The POS page's HTML: a static shell the script fills in; no data is ever put in it. */
export const POS_HTML = `${shellHead({
  title: "Counter · Comptoir",
  stylesheet: "/pos/style.css",
  script: "/pos/pos.js",
})}<body data-page="pos">
<header>
<strong>Counter</strong>
<span id="node">…</span>
<span id="clerk-name"></span>
<button type="button" id="sign-in" class="quiet">Clerk sign-in</button>
<button type="button" id="sign-out" class="quiet" hidden>Sign out</button>
<span id="link" data-kind="error">connecting…</span>
<a id="warehouse-link" href="/warehouse" title="the node's warehouse view, for diagnostics">Warehouse</a>
</header>
<p id="offline" role="alert" hidden></p>
<p id="status" role="status" aria-live="polite"></p>
<main>
<section id="customer-pane">
<input id="search" type="search" placeholder="customer name or id" autocomplete="off" aria-label="search customer">
<ul id="customers"></ul>
<div id="figures" hidden>
<h2 id="customer-name"></h2>
<dl>
<dt>Limit</dt><dd id="f-limit"></dd>
<dt>Exposure</dt><dd id="f-exposure"></dd>
<dt>Available</dt><dd id="f-available"></dd>
<dt>Overdue</dt><dd id="f-overdue"></dd>
</dl>
<button type="button" id="change-customer" class="quiet">Change customer</button>
</div>
</section>
<section id="basket-pane">
<h2>Basket <span id="total">0.00</span></h2>
<ul id="lines"></ul>
<ul id="unpriced"></ul>
<form id="add-form">
<input id="gtin" inputmode="numeric" placeholder="add by GTIN" autocomplete="off" aria-label="GTIN">
<button type="submit">Add</button>
</form>
<div class="actions">
<button type="button" id="check">Check credit</button>
<button type="button" id="sell-account">On account</button>
<button type="button" id="sell-cash" class="quiet">Cash</button>
</div>
</section>
<section id="answer" hidden>
<p id="verdict"></p>
<p id="verdict-note"></p>
<p id="verdict-for" class="who"></p>
<ul id="reasons"></ul>
<div class="answer-actions">
<button type="button" id="sell-now" hidden>Sell now</button>
<button type="button" id="sell-for-cash" hidden>Sell for cash</button>
<button type="button" id="override" class="quiet" hidden>Supervisor override</button>
<button type="button" id="dismiss" class="quiet">OK</button>
</div>
</section>
</main>
<dialog id="override-dialog">
<form method="dialog" id="override-form">
<h2 id="override-title">Supervisor override</h2>
<p id="override-for" class="who"></p>
<ul id="override-under"></ul>
<div id="supervisors" class="choices"></div>
<div id="reasons-preset" class="choices"></div>
<input id="override-reason" placeholder="reason" autocomplete="off" aria-label="override reason">
<output id="pin-dots" aria-label="PIN entered"></output>
<div id="pinpad"></div>
<p id="override-status" role="status"></p>
<div class="actions">
<button type="button" id="override-cancel" class="quiet">Cancel</button>
<button type="button" id="override-ok">Approve sale</button>
</div>
</form>
</dialog>
<dialog id="signin-dialog">
<form method="dialog" id="signin-form">
<h2>Clerk sign-in</h2>
<div id="clerks" class="choices"></div>
<input id="signin-pin" type="password" inputmode="numeric" autocomplete="off" placeholder="PIN" aria-label="clerk PIN">
<p id="signin-status" role="status"></p>
<div class="actions">
<button type="button" id="signin-cancel" class="quiet">Cancel</button>
<button type="button" id="signin-ok">Sign in</button>
</div>
</form>
</dialog>
</body>
</html>
`;
