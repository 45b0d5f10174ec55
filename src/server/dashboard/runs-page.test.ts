import { describe, expect, it } from 'vitest';
import type { Run } from '../../store/store.js';
import { runsPage } from './runs-page.js';

const NOW = Date.UTC(2025, 0, 1, 12);
const viewer = { name: 'ana', role: 'viewer', csrf: 'c5rf' } as const;

function run(overrides: Partial<Run>): Run {
  return {
    id: 1,
    repo: '/repo',
    branch: 'main',
    sha: 'a'.repeat(40),
    base_sha: null,
    author: 'Nassim',
    message: 'a change',
    trigger: 'push',
    status: 'passed',
    created_at: NOW - 120_000,
    started_at: NOW - 110_000,
    finished_at: NOW - 100_000,
    summary: null,
    options: null,
    delivery_id: null,
    retry_of: null,
    error: null,
    pid: null,
    lease_owner: null,
    lease_expires_at: null,
    kind: 'ci',
    ...overrides,
  };
}

describe('the runs page', () => {
  it('lists runs with their facts, and commit text from the push as text', () => {
    const page = String(
      runsPage({
        viewer,
        now: NOW,
        runs: [run({ id: 7, message: '<img src=x onerror=alert(1)> fix\n\nbody', branch: 'a"b' })],
      }),
    );
    expect(page).toContain('<a href="/runs/7">#7</a>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; fix');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('body</td>'); // the subject only
    expect(page).toContain('a&quot;b');
    expect(page).toContain('aaaaaaa');
    expect(page).toContain('10s');
    expect(page).toContain('2 min ago');
    expect(page).not.toContain('http-equiv="refresh"');
  });

  it('refreshes itself while a run is queued or running', () => {
    const page = String(
      runsPage({ viewer, now: NOW, runs: [run({ status: 'running', finished_at: null })] }),
    );
    expect(page).toContain('<meta http-equiv="refresh" content="3">');
  });

  it('tags a deploy job with its environment', () => {
    const page = String(
      runsPage({
        viewer,
        now: NOW,
        runs: [
          run({ id: 8, kind: 'deploy', options: JSON.stringify({ environment: 'staging', sourceRun: 7 }) }),
          run({ id: 7 }),
        ],
      }),
    );
    expect(page).toContain('<tr data-run="8" data-kind="deploy">');
    expect(page).toContain('<span class="tag">deploy to staging</span> a change');
    expect(page).toContain('<tr data-run="7">');
  });

  it('says how runs start when there are none', () => {
    expect(String(runsPage({ viewer, now: NOW, runs: [] }))).toContain('No runs yet');
  });
});
