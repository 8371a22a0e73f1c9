/** The POS page's stylesheet: big touch targets, fits an 800×480 counter screen. */
export const POS_CSS = `
:root { color-scheme: light; --ink: #1d2327; --muted: #5f6b73; --line: #d6dde2; --ok: #1f7a3d; --bad: #b3261e; --warn: #8a5a00; --accent: #0b5cad; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
button { -webkit-tap-highlight-color: transparent; }
button:active { filter: brightness(.85); }
html, body { height: 100%; }
body { margin: 0; font: 16px/1.3 system-ui, sans-serif; color: var(--ink); background: #f4f6f8; display: flex; flex-direction: column; user-select: none; }
header { display: flex; gap: .8rem; align-items: center; padding: .3rem .6rem; background: #fff; border-bottom: 1px solid var(--line); }
header label { margin-left: auto; color: var(--muted); }
#clerk { width: 7rem; }
#link[data-kind=ok] { color: var(--ok); }
#link[data-kind=error] { color: var(--bad); }
#offline { margin: 0; padding: .3rem .6rem; background: #fff4d6; color: var(--warn); font-weight: 600; }
#status { margin: 0; padding: 0 .6rem; min-height: 1.3em; font-size: .9rem; }
#status[data-kind=error] { color: var(--bad); }
#chain { margin: 0; padding: .6rem; color: #fff; background: var(--bad); font-weight: 600; }
#status[data-kind=ok] { color: var(--ok); }
main { flex: 1; min-height: 0; display: grid; grid-template-columns: 1fr 1.3fr; gap: .5rem; padding: .4rem; position: relative; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .4rem .5rem; min-height: 0; overflow: auto; display: flex; flex-direction: column; gap: .3rem; }
h2 { font-size: 1rem; margin: 0; display: flex; justify-content: space-between; }
ul { list-style: none; margin: 0; padding: 0; }
input, button { font: inherit; min-height: 44px; padding: .3rem .6rem; border: 1px solid var(--line); border-radius: 6px; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; min-width: 44px; }
button.quiet { background: #fff; color: var(--ink); border-color: var(--line); }
button:disabled { opacity: .45; }
#customers li button { width: 100%; text-align: left; background: #fff; color: var(--ink); border-color: var(--line); margin-bottom: .25rem; }
#customers .id { color: var(--muted); font-size: .85em; margin-left: .4rem; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .15rem .6rem; margin: .2rem 0; font-size: 1.05rem; }
dt { color: var(--muted); }
dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
dd.bad { color: var(--bad); }
#lines li, #unpriced li { display: flex; align-items: center; gap: .4rem; border-top: 1px solid #eef1f3; padding: .15rem 0; }
#lines .name { flex: 1; }
#lines .amount { font-variant-numeric: tabular-nums; }
#unpriced li { color: var(--bad); font-size: .85rem; }
#total { font-variant-numeric: tabular-nums; }
form#add-form { display: flex; gap: .3rem; }
form#add-form input { flex: 1; min-width: 0; }
.actions { display: flex; gap: .4rem; margin-top: auto; }
.actions button { flex: 1; min-height: 52px; font-weight: 600; }
#answer { position: absolute; inset: .4rem; z-index: 2; align-items: center; justify-content: center; text-align: center; border-width: 4px; }
#answer[data-decision=approve] { border-color: var(--ok); }
#answer[data-decision=block] { border-color: var(--bad); }
#verdict { font-size: 2.6rem; font-weight: 800; margin: 0; }
#answer[data-decision=approve] #verdict { color: var(--ok); }
#answer[data-decision=block] #verdict { color: var(--bad); }
#reasons { font-size: 1.1rem; }
#answer button { min-width: 12rem; min-height: 52px; }
dialog { border: 1px solid var(--line); border-radius: 8px; padding: .5rem; width: min(100vw - 1rem, 46rem); max-height: calc(100vh - 1rem); }
dialog form { display: grid; grid-template-columns: 1fr 1fr; gap: .4rem; }
dialog h2, dialog .actions, #override-status, #override-reason { grid-column: 1 / -1; }
.choices { display: flex; flex-wrap: wrap; gap: .3rem; align-content: start; }
.choices button { background: #fff; color: var(--ink); border-color: var(--line); }
.choices button[aria-pressed=true] { background: var(--accent); color: #fff; border-color: var(--accent); }
#pin-dots { font-size: 1.6rem; letter-spacing: .3rem; min-height: 1.6em; text-align: center; }
#pinpad { display: grid; grid-template-columns: repeat(3, 1fr); gap: .3rem; grid-column: 2; grid-row: 2 / span 4; }
#pinpad button { min-height: 52px; font-size: 1.3rem; background: #fff; color: var(--ink); border-color: var(--line); }
#override-status { color: var(--bad); margin: 0; min-height: 1.2em; }
`;
