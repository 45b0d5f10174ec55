/**
 * Every environment: its URL, its deploy lock while a deploy holds it, its last deploy, and what
 * release each host runs of each package, since when and from which runs. It reloads itself
 * while a deploy is going.
 */
import type { EnvironmentHost, EnvironmentView } from '../environments.js';
import { isActive, isoTime, timeAgo } from './format.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { statusBadge, type Viewer } from './parts.js';

export const ENVIRONMENTS_REFRESH_SECONDS = 5;

export interface EnvironmentsPage {
  viewer: Viewer;
  environments: readonly EnvironmentView[];
  now: number;
}

export function environmentsPage({ viewer, environments, now }: EnvironmentsPage): SafeHtml {
  const going = environments.some(
    (environment) =>
      environment.lock !== null || (environment.lastDeploy !== null && isActive(environment.lastDeploy)),
  );
  return layout(
    { title: 'Environments', viewer, refreshSeconds: going ? ENVIRONMENTS_REFRESH_SECONDS : undefined },
    html`<h1>Environments</h1>
${
  environments.length === 0
    ? html`<p class="callout info">No environments yet. Name them under <code>environments:</code> in
  waggle.yml; <code>waggle deploy ENV</code> puts a passed run's artifacts on one.</p>`
    : environments.map((environment) => environmentSection(environment, now))
}`,
  );
}

function environmentSection(environment: EnvironmentView, now: number): SafeHtml {
  const { name, url, lock, lastDeploy } = environment;
  return html`<section class="environment" data-environment="${name}">
<h2>${name}</h2>
<dl class="facts">
  ${url ? html`<dt>URL</dt><dd>${link(url)}</dd>` : ''}
  <dt>Lock</dt><dd class="lock">${
    lock
      ? html`held by ${lock.actor} for <a href="/runs/${lock.runId}">run #${lock.runId}</a> since ${when(lock.since, now)}`
      : html`<span class="muted">free</span>`
  }</dd>
  <dt>Last deploy</dt><dd class="last-deploy">${
    lastDeploy
      ? html`<a href="/runs/${lastDeploy.runId}">run #${lastDeploy.runId}</a> ${statusBadge(lastDeploy.status)}${
          lastDeploy.finishedAt !== null ? html` ${when(lastDeploy.finishedAt, now)}` : ''
        }`
      : html`<span class="muted">none yet</span>`
  }</dd>
</dl>
${
  environment.hosts.length === 0
    ? html`<p class="muted">Never deployed: no host of ${name} runs a release yet.</p>`
    : html`<table class="releases">
  <thead><tr>
    <th>Host</th><th>Package</th><th>Release</th><th>Since</th><th>Source run</th><th>Deploy run</th>
  </tr></thead>
  ${environment.hosts.map((host) => hostRows(host, now))}
</table>`
}
</section>`;
}

/** One body per host, its name spanning the rows of its packages. */
function hostRows({ host, packages }: EnvironmentHost, now: number): SafeHtml {
  return html`<tbody data-host="${host}">${packages.map(
    (placed, index) => html`<tr>
    ${index === 0 ? html`<th scope="rowgroup" rowspan="${packages.length}" class="mono">${host}</th>` : ''}
    <td class="mono">${placed.package}</td>
    <td class="mono">${placed.release}</td>
    <td class="nowrap">${when(placed.since, now)}</td>
    <td><a href="/runs/${placed.sourceRun}">#${placed.sourceRun}</a></td>
    <td><a href="/runs/${placed.deployRun}">#${placed.deployRun}</a></td>
  </tr>`,
  )}</tbody>`;
}

function when(at: number, now: number): SafeHtml {
  return html`<time datetime="${isoTime(at)}" title="${isoTime(at)}">${timeAgo(at, now)}</time>`;
}

/** A link for http(s) only: waggle.yml is not to put a javascript: URL on the page. */
function link(url: string): SafeHtml {
  let scheme = '';
  try {
    scheme = new URL(url).protocol;
  } catch {
    // not a URL at all (say, one still holding ${{ vars.NAME }}): shown as text
  }
  return scheme === 'http:' || scheme === 'https:'
    ? html`<a href="${url}" rel="noreferrer">${url}</a>`
    : html`<span class="mono">${url}</span>`;
}
