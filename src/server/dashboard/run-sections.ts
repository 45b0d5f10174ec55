/** The tables of the run page, each a function of what the store recorded. */
import { basename } from 'node:path';
import { fileSize } from '../../format/size.js';
import type { NotificationAttempt } from '../../store/notification-attempts.js';
import type { ArtifactRow, StepRow, TestCaseRow } from '../../store/store.js';
import { isoTime, milliseconds, testLabel, timeAgo } from './format.js';
import { html, type SafeHtml } from './html.js';
import { statusBadge } from './parts.js';

/** Steps under their stage, stages in the order the run reached them, in one table so columns line up. */
export function stepsSection(steps: readonly StepRow[]): SafeHtml {
  const stages = new Map<string, StepRow[]>();
  for (const step of steps) stages.set(step.stage, [...(stages.get(step.stage) ?? []), step]);
  return html`<h2>Stages and steps</h2>
${
  stages.size === 0
    ? html`<p class="muted">No steps yet: the run has not started, or it ended before its first step.</p>`
    : html`<table class="steps">
  <thead><tr><th>Step</th><th>Status</th><th class="num">Duration</th><th>Detail</th></tr></thead>
  ${[...stages].map(
    ([stage, rows]) => html`<tbody data-stage="${stage}">
  <tr><th class="stage" colspan="4">${stage}</th></tr>
  ${rows.map(
    (step) => html`<tr>
    <td>${step.name}${step.package ? html` <span class="muted">(${step.package})</span>` : ''}</td>
    <td>${statusBadge(step.status, { step: step.key })}</td>
    <td class="num">${milliseconds(step.duration_ms)}</td>
    <td>${step.detail ?? ''}</td>
  </tr>`,
  )}
</tbody>`,
  )}
</table>`
}`;
}

/** Failures first (the store's order from runDetail), each with its message in full. */
export function testsSection(tests: readonly TestCaseRow[]): SafeHtml {
  const count = (status: TestCaseRow['status']) => tests.filter((t) => t.status === status).length;
  return html`<h2>Tests</h2>
${
  tests.length === 0
    ? html`<p class="muted">No test results recorded.</p>`
    : html`<p>${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped</p>
<table class="tests">
  <thead><tr><th>Status</th><th>Test</th><th>File</th><th class="num">Duration</th></tr></thead>
  <tbody>${tests.map(
    (test) => html`<tr class="${test.message ? 'failure' : ''}">
    <td>${statusBadge(test.status)}</td>
    <td>${testLabel(test)}</td>
    <td class="mono">${test.file ?? ''}</td>
    <td class="num">${milliseconds(test.duration_ms)}</td>
  </tr>${test.message ? html`<tr><td></td><td colspan="3"><pre>${test.message}</pre></td></tr>` : ''}`,
  )}</tbody>
</table>`
}`;
}

export function artifactsSection(artifacts: readonly ArtifactRow[]): SafeHtml {
  return html`<h2>Artifacts</h2>
${
  artifacts.length === 0
    ? html`<p class="muted">No artifacts: only a passing service or site package makes one.</p>`
    : html`<table class="artifacts">
  <thead><tr><th>Package</th><th>File</th><th>sha256</th><th class="num">Size</th></tr></thead>
  <tbody>${artifacts.map(
    (artifact) => html`<tr>
    <td>${artifact.package}</td>
    <td class="mono" title="${artifact.file}">${basename(artifact.file)}</td>
    <td class="mono">${artifact.sha256}</td>
    <td class="num">${fileSize(artifact.size)}</td>
  </tr>`,
  )}</tbody>
</table>`
}`;
}

export function notificationsSection(attempts: readonly NotificationAttempt[], now: number): SafeHtml {
  return html`<h2>Notifications</h2>
${
  attempts.length === 0
    ? html`<p class="muted">None sent for this run.</p>`
    : html`<table class="notifications">
  <thead><tr>
    <th>Contact</th><th>Channel</th><th>Event</th><th class="num">Attempt</th><th>Result</th>
    <th class="num">Status</th><th>Error</th><th>When</th>
  </tr></thead>
  <tbody>${attempts.map(
    (attempt) => html`<tr>
    <td>${attempt.contact}</td>
    <td>${attempt.channel}</td>
    <td>${attempt.event}</td>
    <td class="num">${attempt.attempt}</td>
    <td>${attempt.ok ? statusBadge('ok') : statusBadge('failed')}</td>
    <td class="num">${attempt.status ?? ''}</td>
    <td>${attempt.error ?? ''}</td>
    <td><time datetime="${isoTime(attempt.at)}">${timeAgo(attempt.at, now)}</time></td>
  </tr>`,
  )}</tbody>
</table>`
}`;
}
