import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../store/run-detail.js';
import { runPage } from './run-page.js';

const NOW = Date.UTC(2025, 0, 1, 12);

function detail(overrides: Partial<RunDetail['run']> = {}): RunDetail {
  return {
    run: {
      id: 3,
      repo: '/repo',
      branch: 'main',
      sha: 'b'.repeat(40),
      base_sha: null,
      author: 'Nassim',
      message: '<script>alert(1)</script>',
      trigger: 'push',
      status: 'failed',
      created_at: NOW - 60_000,
      started_at: NOW - 50_000,
      finished_at: NOW - 20_000,
      delivery_id: null,
      retry_of: null,
      error: null,
      pid: null,
      lease_owner: null,
      lease_expires_at: null,
      kind: 'ci',
      ...overrides,
    },
    summary: null,
    steps: [
      step(1, 'checkout', 'checkout', null, 'passed'),
      step(2, 'test:lib', 'test', 'lib', 'failed', 'exit code 1'),
    ],
    tests: [
      test(1, 'failed', 'is the answer', 'expected <41> to be 42'),
      test(2, 'passed', 'is a number', null),
    ],
    artifacts: [
      {
        id: 1,
        run_id: 3,
        package: 'app',
        file: '/home/.waggle/artifacts/app-k1.tgz',
        sha256: 'c'.repeat(64),
        size: 2048,
        cache_key: 'k1',
        manifest: '{}',
      },
    ],
    notifications: [
      {
        contact: 'CTO',
        channel: 'email',
        event: 'run.failed',
        attempt: 2,
        ok: false,
        status: 550,
        error: 'mailbox <full>',
        at: NOW,
      },
    ],
  };
}

function step(
  id: number,
  key: string,
  stage: string,
  pkg: string | null,
  status: 'passed' | 'failed',
  detail?: string,
) {
  return {
    id,
    run_id: 3,
    key,
    stage,
    name: key,
    package: pkg,
    status,
    detail: detail ?? null,
    exit_code: null,
    cache_key: null,
    started_at: NOW - 40_000,
    finished_at: NOW - 39_000,
    duration_ms: 1_500,
  };
}

function test(id: number, status: 'passed' | 'failed', name: string, message: string | null) {
  return {
    id,
    run_id: 3,
    step_id: 2,
    package: 'lib',
    suite: 'value',
    name,
    file: 'test.mjs',
    status,
    duration_ms: 2,
    message,
  };
}

describe('the run page', () => {
  it('shows the run, its steps by stage, failures first with their message, artifacts and notifications', () => {
    const page = String(
      runPage({ viewer: { name: 'ana', role: 'viewer', csrf: 'x' }, detail: detail(), now: NOW }),
    );
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert');
    expect(page).toMatch(/colspan="4">checkout<\/th>[\s\S]*colspan="4">test<\/th>/);
    expect(page).toContain('data-step-status="test:lib"');
    expect(page).toMatch(
      /lib › value › is the answer[\s\S]*<pre>expected &lt;41&gt; to be 42<\/pre>[\s\S]*is a number/,
    );
    expect(page).toContain('1 passed, 1 failed, 0 skipped');
    expect(page).toContain('app-k1.tgz');
    expect(page).toContain('c'.repeat(64));
    expect(page).toContain('2.0 KiB');
    expect(page).toContain('mailbox &lt;full&gt;');
    expect(page).toContain('data-events="/api/runs/3/events" data-active="false"');
  });

  it('offers Rerun and Cancel to an operator only, Cancel only while the run is going', () => {
    const operator = { name: 'op', role: 'operator', csrf: 'tok"en' } as const;
    const ended = String(runPage({ viewer: operator, detail: detail(), now: NOW }));
    expect(ended).toContain('action="/runs/3/rerun"');
    expect(ended).toContain('name="_csrf" value="tok&quot;en"');
    expect(ended).not.toContain('action="/runs/3/cancel"');
    const running = String(
      runPage({ viewer: operator, detail: detail({ status: 'running', finished_at: null }), now: NOW }),
    );
    expect(running).toContain('action="/runs/3/cancel"');
    expect(running).toContain('data-active="true"');
    const viewer = String(
      runPage({ viewer: { ...operator, role: 'viewer' }, detail: detail({ status: 'running' }), now: NOW }),
    );
    expect(viewer).not.toContain('/rerun');
    expect(viewer).not.toContain('/cancel');
  });

  it('heads a deploy job with where it deploys and whose artifacts', () => {
    const page = String(
      runPage({
        viewer: { name: 'ana', role: 'viewer' },
        detail: detail({ id: 8, kind: 'deploy' }),
        deploy: { environment: 'staging', sourceRun: 3 },
        now: NOW,
      }),
    );
    expect(page).toContain('<title>Deploy #8 to staging · waggle</title>');
    expect(page).toMatch(
      /<h1>Deploy to staging of run <a href="\/runs\/3">#3<\/a> <span class="badge failed" id="run-status">/,
    );
    expect(page).toContain('<dt>Environment</dt><dd><a href="/environments">staging</a></dd>');
    const noSource = String(
      runPage({
        viewer: { name: 'ana', role: 'viewer' },
        detail: detail({ id: 9, kind: 'deploy' }),
        deploy: { environment: '<prod>' },
        now: NOW,
      }),
    );
    expect(noSource).toMatch(/<h1>Deploy to &lt;prod&gt; <span/);
    expect(String(runPage({ viewer: { name: 'ana', role: 'viewer' }, detail: detail(), now: NOW }))).toMatch(
      /<h1>Run #3 <span/,
    );
  });

  it('puts an error from before the first step at the top', () => {
    const page = String(
      runPage({
        viewer: { name: 'ana', role: 'viewer' },
        detail: { ...detail({ error: 'commit <abc> not found' }), steps: [], tests: [] },
        now: NOW,
      }),
    );
    expect(page).toContain('<strong>Error:</strong> commit &lt;abc&gt; not found');
    expect(page).toContain('No steps yet');
    expect(page).toContain('No test results recorded.');
  });
});
