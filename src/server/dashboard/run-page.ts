/** One run: what was built, its stages and steps, the live log, tests, artifacts, notifications. */
import type { RunDetail } from '../../store/run-detail.js';
import type { DeployTarget } from '../environments.js';
import { can } from '../tokens.js';
import { isActive, isoTime, runDuration, shortSha, timeAgo } from './format.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { postButton, statusBadge, type Viewer } from './parts.js';
import { artifactsSection, notificationsSection, stepsSection, testsSection } from './run-sections.js';

export interface RunPage {
  viewer: Viewer;
  detail: RunDetail;
  /** Set when the run is a deploy job: where it deploys, and whose artifacts. */
  deploy?: DeployTarget;
  now: number;
}

export function runPage({ viewer, detail, deploy, now }: RunPage): SafeHtml {
  const { run } = detail;
  const active = isActive(run);
  return layout(
    {
      title: deploy ? `Deploy #${run.id} to ${deploy.environment}` : `Run #${run.id}`,
      viewer,
      liveLog: true,
    },
    html`<h1>${
      deploy
        ? html`Deploy to ${deploy.environment}${
            deploy.sourceRun !== undefined
              ? html` of run <a href="/runs/${deploy.sourceRun}">#${deploy.sourceRun}</a>`
              : ''
          }`
        : html`Run #${run.id}`
    } ${statusBadge(run.status, { id: 'run-status' })}</h1>
${run.error ? html`<div class="callout" role="alert"><strong>Error:</strong> ${run.error}</div>` : ''}
<dl class="facts">
${
  deploy
    ? html`<dt>Deploy job</dt><dd>#${run.id}</dd>
  <dt>Environment</dt><dd><a href="/environments">${deploy.environment}</a></dd>`
    : ''
}
  <dt>Branch</dt><dd class="mono">${run.branch}</dd>
  <dt>Commit</dt><dd class="mono" title="${run.sha}">${shortSha(run.sha)} <span class="muted">${run.sha}</span></dd>
  <dt>Author</dt><dd>${run.author}</dd>
  <dt>Message</dt><dd><pre class="message">${run.message}</pre></dd>
  <dt>Trigger</dt><dd>${run.trigger}${run.retry_of !== null ? html`, retrying <a href="/runs/${run.retry_of}">#${run.retry_of}</a>` : ''}</dd>
  <dt>Queued</dt><dd><time datetime="${isoTime(run.created_at)}">${timeAgo(run.created_at, now)}</time></dd>
  <dt>Duration</dt><dd>${runDuration(run, now) || html`<span class="muted">not started</span>`}</dd>
</dl>
${actions(viewer, run.id, active)}
${stepsSection(detail.steps)}
<h2>Log</h2>
<div id="log" class="log" data-events="/api/runs/${run.id}/events" data-active="${String(active)}" aria-live="polite"></div>
<p id="log-state" class="log-state muted">connecting to the live log…</p>
${testsSection(detail.tests)}
${artifactsSection(detail.artifacts)}
${notificationsSection(detail.notifications, now)}`,
  );
}

/** Only the buttons the caller's role may use: Rerun always, Cancel while the run is going. */
function actions(viewer: Viewer, runId: number, active: boolean): SafeHtml | '' {
  if (!can(viewer.role, 'operate')) return '';
  return html`<div class="actions">
  ${postButton(viewer, `/runs/${runId}/rerun`, 'Rerun', 'primary')}
  ${active ? postButton(viewer, `/runs/${runId}/cancel`, 'Cancel', 'danger') : ''}
</div>`;
}
