/** The pages' stylesheet, served as `/assets/style.css`: one column on a small screen. */
export const STYLE_CSS = `
:root { color-scheme: light; --ink: #1d2327; --muted: #5f6b73; --line: #d6dde2; --ok: #1f7a3d; --bad: #b3261e; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, sans-serif; color: var(--ink); background: #f4f6f8; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: baseline; padding: .6rem 1rem; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.1rem; margin: 0; }
header nav a { color: var(--accent); margin-right: .6rem; }
#live[data-kind=ok] { color: var(--ok); }
#live[data-kind=error] { color: var(--bad); }
#status { min-height: 1.4em; margin: .5rem 1rem 0; }
#status[data-kind=error] { color: var(--bad); }
#chain { margin: 0; padding: .6rem 1rem; color: #fff; background: var(--bad); font-weight: 600; }
#status[data-kind=ok] { color: var(--ok); }
main { display: grid; gap: 1rem; padding: 1rem; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; min-width: 0; }
section h2 { font-size: 1rem; margin: 0 0 .5rem; display: flex; justify-content: space-between; gap: .5rem; }
ul, ol { list-style: none; margin: 0; padding: 0; }
li { padding: .3rem 0; border-top: 1px solid #eef1f3; overflow-wrap: anywhere; }
li:first-child { border-top: 0; }
code { font-size: .85em; }
.when, .where, .rssi, .reason, .zone { color: var(--muted); }
.kind { font-weight: 600; }
table { width: 100%; border-collapse: collapse; }
td, th { text-align: left; padding: .25rem .3rem; border-top: 1px solid #eef1f3; }
td.count { text-align: right; font-variant-numeric: tabular-nums; }
.empty { color: var(--muted); font-style: italic; }
form { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
input, select, button { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 4px; min-height: 2.2rem; }
input { flex: 1 1 8rem; min-width: 0; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
button.remove, #clear { background: #fff; color: var(--ink); border-color: var(--line); }
form.commission code { flex-basis: 100%; }
.item .head { display: flex; justify-content: space-between; align-items: center; }
.item .product { font-weight: 600; }
.item .history { font-size: .85em; margin-top: .2rem; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; }
.actions input { flex-basis: 100%; }
#count-result p { margin: .2rem 0; }
@media (max-width: 40rem) { main { padding: .5rem; grid-template-columns: 1fr; } }
`;
