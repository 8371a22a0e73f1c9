/** The dashboard's stylesheet: cards on a grid, one column on a small screen; status by colour and by word. */
export const STYLE_CSS = `
:root { color-scheme: light; --ink: #1b2430; --muted: #627080; --line: #dde3ea; --bg: #f3f5f8; --card: #fff;
  --ok: #1f7a3d; --warn: #a15c00; --bad: #b3261e; --off: #7a8591; --accent: #0b5cad; --bar: #3b82c4; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
header { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center;
  padding: .5rem 1rem; background: #16202c; color: #e8eef5; }
header .brand { color: #fff; font-weight: 700; text-decoration: none; letter-spacing: .02em; }
header nav { display: flex; flex-wrap: wrap; gap: .2rem; }
header nav a { color: #c9d5e2; text-decoration: none; padding: .25rem .6rem; border-radius: 4px; }
header nav a[aria-current=page] { background: #2c3d52; color: #fff; }
header .spacer { flex: 1; }
#live::before { content: "●"; margin-right: .3rem; }
#live[data-kind=ok] { color: #7be39a; }
#live[data-kind=wait] { color: #ffd27a; }
#live[data-kind=off] { color: #ff9b93; }
#who { color: #c9d5e2; }
#status { min-height: 1.2em; margin: .4rem 1rem 0; }
#status[data-kind=error] { color: var(--bad); }
main { padding: .6rem 1rem 2rem; max-width: 1400px; margin: 0 auto; }
h1 { font-size: 1.3rem; margin: .2rem 0 .6rem; }
h2 { font-size: 1rem; margin: 0 0 .5rem; display: flex; justify-content: space-between; align-items: baseline; gap: .5rem; }
.grid { display: grid; gap: .8rem; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); }
.grid.wide { grid-template-columns: repeat(auto-fit, minmax(26rem, 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .7rem .9rem; min-width: 0; }
.card + .card, .grid + .card, .card + .grid, .grid + .grid, .split + .card { margin-top: .8rem; }
.grid > .card, .split > .card { margin-top: 0; }
.figure { font-size: 1.8rem; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.2; }
.sub { color: var(--muted); font-size: .9em; }
.muted, .empty { color: var(--muted); }
.empty { font-style: italic; padding: .4rem 0; }
.error { color: var(--bad); }
.pills { display: flex; flex-wrap: wrap; gap: .4rem; }
.pill { display: inline-flex; gap: .3rem; align-items: baseline; padding: .15rem .55rem; border-radius: 999px; background: #eef2f6; font-variant-numeric: tabular-nums; }
.pill b { font-size: 1.15rem; }
[data-tone=ok] { color: var(--ok); } [data-tone=warn] { color: var(--warn); } [data-tone=bad] { color: var(--bad); } [data-tone=off] { color: var(--off); }
.pill[data-tone=bad], .badge[data-tone=bad] { background: #fde8e6; }
.pill[data-tone=ok], .badge[data-tone=ok] { background: #e5f4ea; }
.pill[data-tone=warn], .badge[data-tone=warn] { background: #fff1dc; }
.badge { white-space: nowrap; display: inline-block; padding: 0 .45rem; border-radius: 4px; background: #eef2f6; font-size: .85em; font-weight: 600; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: .85em; border-bottom: 1px solid var(--line); padding: .3rem .4rem; }
td { padding: .3rem .4rem; border-top: 1px solid #eef1f4; vertical-align: top; overflow-wrap: break-word; }
td .detail { word-break: break-all; }
td.nowrap { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.clickable { cursor: pointer; } tr.clickable:hover td { background: #f3f8fd; }
tr.fresh td { animation: fresh 1.5s ease-out; }
@keyframes fresh { from { background: #fff4c2; } to { background: transparent; } }
.scroll { overflow-x: auto; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85em; }
form.filters, .toolbar { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin-bottom: .6rem; }
input, select, button { font: inherit; padding: .3rem .55rem; border: 1px solid var(--line); border-radius: 5px; min-height: 2.1rem; background: #fff; color: var(--ink); }
input { min-width: 0; }
input:invalid { border-color: var(--bad); }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
button.quiet { background: transparent; color: inherit; border-color: #56677b; }
button:disabled { opacity: .6; cursor: default; }
.sign-in { max-width: 28rem; margin: 3rem auto; display: flex; flex-direction: column; gap: .6rem; }
ul.list { list-style: none; margin: 0; padding: 0; }
ul.list li { padding: .3rem 0; border-top: 1px solid #eef1f4; }
ul.list li:first-child { border-top: 0; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart .bar { fill: var(--bar); } svg.chart .bar.now { fill: #1d5f99; }
svg.chart .bar.late { fill: #d9822b; } svg.chart .bar.later { fill: var(--bad); }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg.chart line.axis { stroke: var(--line); }
.meter { height: .5rem; border-radius: 3px; background: #e9eef3; overflow: hidden; min-width: 5rem; }
.meter > span { display: block; height: 100%; background: var(--bar); }
.meter > span[data-tone=bad] { background: var(--bad); } .meter > span[data-tone=warn] { background: var(--warn); }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: .3rem 0; }
dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; overflow-wrap: anywhere; }
details > summary { cursor: pointer; color: var(--accent); }
.split { display: grid; gap: .8rem; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
/* No item panel open: the list takes the whole width. */
.split:not(:has(> :last-child > section:not([hidden]))) { grid-template-columns: minmax(0, 1fr); }
@media (max-width: 56rem) { .split { grid-template-columns: 1fr; } .grid.wide { grid-template-columns: 1fr; } }
@media (max-width: 40rem) { main { padding: .5rem; } .figure { font-size: 1.4rem; } header nav { order: 5; width: 100%; } }
`;
