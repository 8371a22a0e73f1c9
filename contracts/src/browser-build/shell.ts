/**
 * The policy every page we ship is served with (the dashboard, the node's
 * pages and its POS): only the server's own scripts, styles and API; no
 * inline script or style, no third party, nothing from the internet (a site
 * network may have none).
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The start of a page shell, to `<body>`: a static document that its bundled
 * script fills in. It links the bundle's stylesheet and ES module only — no
 * inline script or style, as PAGE_CSP (script-src and style-src 'self')
 * requires — and never carries data.
 */
export function shellHead(page: { title: string; stylesheet: string; script: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<link rel="stylesheet" href="${page.stylesheet}">
<script type="module" src="${page.script}"></script>
</head>
`;
}
