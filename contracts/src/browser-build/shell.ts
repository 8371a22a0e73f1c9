/**
 * The start of a page shell, to `<body>`: a static document that its bundled
 * script fills in. It links the bundle's stylesheet and ES module only — no
 * inline script or style, as the pages' policy (script-src and style-src
 * 'self') requires — and never carries data.
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
