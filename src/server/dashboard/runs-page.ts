/** The runs list, newest first; it reloads itself while any run is queued or running. */
import type { Run } from '../../store/store.js';
import { deployTargetOf } from '../environments.js';
import { commitSubject, isActive, isoTime, runDuration, shortSha, timeAgo } from './format.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { statusBadge, type Viewer } from './parts.js';

export const RUNS_REFRESH_SECONDS = 3;

export interface RunsPage {
  viewer: Viewer;
  runs: readonly Run[];
  now: number;
}

export function runsPage({ viewer, runs, now }: RunsPage): SafeHtml {
  const going = runs.some(isActive);
  return layout(
    { title: 'Runs', viewer, refreshSeconds: going ? RUNS_REFRESH_SECONDS : undefined },
    html`<h1>Runs</h1>
${
  runs.length === 0
    ? html`<p class="callout info">No runs yet. A push to a watched branch starts one; so does
  <code>waggle run</code> on this machine.</p>`
    : html`<table class="runs">
  <thead><tr>
    <th class="num">Run</th><th>Status</th><th>Branch</th><th>Commit</th><th>Author</th>
    <th>Subject</th><th>Trigger</th><th class="num">Duration</th><th>When</th>
  </tr></thead>
  <tbody>${runs.map((run) => runRow(run, now))}</tbody>
</table>`
}
${going ? html`<p class="muted">Refreshing every ${RUNS_REFRESH_SECONDS}s while runs are going.</p>` : ''}`,
  );
}

function runRow(run: Run, now: number): SafeHtml {
  const deploy = deployTargetOf(run);
  return html`<tr data-run="${run.id}"${deploy ? html` data-kind="deploy"` : ''}>
    <td class="num"><a href="/runs/${run.id}">#${run.id}</a></td>
    <td>${statusBadge(run.status)}</td>
    <td class="mono">${run.branch}</td>
    <td class="mono" title="${run.sha}">${shortSha(run.sha)}</td>
    <td class="nowrap">${run.author}</td>
    <td class="subject">${deploy ? html`<span class="tag">deploy to ${deploy.environment}</span> ` : ''}${commitSubject(run.message)}</td>
    <td class="nowrap">${run.trigger}</td>
    <td class="num">${runDuration(run, now)}</td>
    <td class="nowrap"><time datetime="${isoTime(run.created_at)}" title="${isoTime(run.created_at)}">${timeAgo(run.created_at, now)}</time></td>
  </tr>`;
}
