import { shellHead } from "@comptoir/contracts/browser-build";

/**
 * The dashboard's one HTML page: a static shell that the scripts fill in.
 * No data is ever put in it, and it loads nothing from outside the gateway.
 * main.js is one bundle (dashboard/src/browser, built by esbuild): nothing
 * else to preload.
 */
export const DASHBOARD_HTML = `${shellHead({
  title: "Comptoir · dashboard",
  stylesheet: "/dashboard/assets/style.css",
  script: "/dashboard/assets/main.js",
})}<body>
<header>
<a class="brand" href="#/overview">Comptoir</a>
<nav id="nav" aria-label="pages"></nav>
<span class="spacer"></span>
<span id="live" title="live feed" hidden></span>
<span id="who"></span>
<button type="button" id="sign-out" class="quiet" hidden>Sign out</button>
</header>
<p id="status" role="status" aria-live="polite"></p>
<main id="main">
<form id="sign-in" class="card sign-in" hidden>
<h1>Sign in</h1>
<p class="muted">Paste an API token (an admin creates one with <code>comptoir token create</code>). It is kept in this tab only.</p>
<input id="token" name="token" type="password" autocomplete="off" placeholder="ct_…" aria-label="API token" required>
<button type="submit">Sign in</button>
<p id="sign-in-error" class="error" role="alert"></p>
</form>
<div id="page"></div>
</main>
</body>
</html>
`;
