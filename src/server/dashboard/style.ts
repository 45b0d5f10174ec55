/**
 * The dashboard's one style sheet, inline so the server has nothing else to serve. It is allowed
 * by its hash in the Content-Security-Policy, so it must stay constant text (no interpolation).
 */
import { html } from './html.js';

export const STYLE_SHEET = html`
:root { color-scheme: light; --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --wash: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); }
header.top { display: flex; align-items: center; gap: 1rem; padding: .6rem 1.5rem; background: #24292f; color: #fff; }
header.top a { color: #fff; text-decoration: none; font-weight: 600; }
header.top .who { margin-left: auto; color: #d0d7de; }
header.top form { margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.4rem; margin: .5rem 0 1rem; display: flex; align-items: center; gap: .6rem; }
h2 { font-size: 1.05rem; margin: 1.8rem 0 .6rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
table.steps th.stage { background: #fff; color: var(--ink); font-size: .95rem; padding-top: 1rem; text-transform: capitalize; }
table.steps td:first-child { width: 40%; }
a { color: #0969da; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--wash); font-weight: 600; font-size: .85rem; color: var(--muted); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
pre { margin: .3rem 0 0; padding: .6rem; background: var(--wash); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.subject { overflow-wrap: anywhere; }
.badge { display: inline-block; padding: .05rem .55rem; border-radius: 1rem; font-size: .8rem; font-weight: 600; color: #fff; background: #6e7781; white-space: nowrap; }
.badge.passed, .badge.ok { background: #1a7f37; }
.badge.failed { background: #cf222e; }
.badge.running { background: #0969da; }
.badge.cached { background: #1b7c83; }
.badge.cancelled, .badge.interrupted { background: #9a6700; }
.badge.queued, .badge.pending, .badge.skipped { background: #6e7781; }
.tag { display: inline-block; padding: 0 .4rem; border: 1px solid var(--line); border-radius: 4px; font-size: .75rem; color: var(--muted); white-space: nowrap; }
section.environment dl.facts { margin-bottom: .8rem; }
table.releases tbody th { background: #fff; color: var(--ink); font-size: .85rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.callout { margin: 1rem 0; padding: .7rem 1rem; border-radius: 6px; border: 1px solid #ff818266; background: #ffebe9; }
.callout.info { border-color: #54aeff66; background: #ddf4ff; }
.actions { display: flex; gap: .5rem; margin: 1rem 0; }
.actions form { margin: 0; }
button { font: inherit; padding: .3rem .9rem; border-radius: 6px; border: 1px solid var(--line); background: var(--wash); cursor: pointer; }
button.primary { background: #1f883d; border-color: #1a7f37; color: #fff; }
button.danger { background: #fff; border-color: #cf222e; color: #cf222e; }
header.top button { background: transparent; color: #fff; border-color: #57606a; }
.log { background: #0d1117; color: #e6edf3; border-radius: 6px; padding: .6rem .8rem; max-height: 30rem; overflow: auto;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .8rem; line-height: 1.5; }
.log:empty::before { content: 'no output yet'; color: #8b949e; }
.log .line { display: flex; gap: 1rem; }
.log .line span:last-child { flex: 1; white-space: pre-wrap; overflow-wrap: anywhere; }
.log .line.stderr { color: #ffa198; }
.log .key { flex: 0 0 9rem; color: #8b949e; }
.log-state { margin: .3rem 0 0; font-size: .85rem; }
tr.failure td { border-bottom: none; }
form.login { max-width: 32rem; display: grid; gap: .6rem; margin-top: 2rem; }
form.login input { font: inherit; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px; }
`;
