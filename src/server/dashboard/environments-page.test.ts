import { describe, expect, it } from 'vitest';
import type { EnvironmentView } from '../environments.js';
import { environmentsPage } from './environments-page.js';

const NOW = Date.UTC(2025, 0, 1, 12);
const viewer = { name: 'ana', role: 'viewer', csrf: 'c5rf' } as const;

function environment(overrides: Partial<EnvironmentView> = {}): EnvironmentView {
  return {
    name: 'staging',
    url: 'https://staging.example',
    hosts: [
      {
        host: 'staging-1',
        packages: [
          {
            package: 'api',
            release: '20250101-110000-abc1234',
            since: NOW - 3_600_000,
            sourceRun: 4,
            deployRun: 5,
          },
          {
            package: 'web',
            release: '20250101-110000-abc1234',
            since: NOW - 3_600_000,
            sourceRun: 4,
            deployRun: 5,
          },
        ],
      },
    ],
    lock: null,
    lastDeploy: { runId: 5, status: 'passed', finishedAt: NOW - 3_600_000 },
    ...overrides,
  };
}

const page = (environments: EnvironmentView[]) =>
  String(environmentsPage({ viewer, environments, now: NOW }));

describe('the environments page', () => {
  it('shows what each host runs, since when and from which runs, and the last deploy', () => {
    const out = page([environment()]);
    expect(out).toContain('<h2>staging</h2>');
    expect(out).toContain('<a href="https://staging.example" rel="noreferrer">https://staging.example</a>');
    expect(out).toMatch(/rowspan="2" class="mono">staging-1<\/th>/);
    expect(out).toMatch(/<td class="mono">api<\/td>\s*<td class="mono">20250101-110000-abc1234<\/td>/);
    expect(out).toContain('1 h ago');
    expect(out).toContain('<a href="/runs/4">#4</a>');
    expect(out).toContain('<a href="/runs/5">#5</a>');
    expect(out).toMatch(/class="last-deploy"><a href="\/runs\/5">run #5<\/a> <span class="badge passed">/);
    expect(out).toMatch(/class="lock"><span class="muted">free<\/span>/);
    expect(out).not.toContain('http-equiv="refresh"');
    expect(out).toContain('<a href="/environments">Environments</a>');
  });

  it('shows the lock while a deploy holds it, and reloads itself meanwhile', () => {
    const out = page([
      environment({
        lock: { runId: 9, actor: 'waggle <server>', since: NOW - 120_000 },
        lastDeploy: { runId: 9, status: 'running', finishedAt: null },
      }),
    ]);
    expect(out).toMatch(
      /held by waggle &lt;server&gt; for <a href="\/runs\/9">run #9<\/a> since <time datetime="2025-01-01T11:58:00.000Z"[^>]*>2 min ago<\/time>/,
    );
    expect(out).toContain('<span class="badge running">running</span>');
    expect(out).toContain('<meta http-equiv="refresh" content="5">');
  });

  it('renders hostile host, package, release, environment names and URLs as text', () => {
    const out = page([
      environment({
        name: '<b>prod</b>',
        url: 'javascript:alert(1)',
        hosts: [
          {
            host: '<img src=x onerror=alert(1)>',
            packages: [
              {
                package: '"><script>alert(2)</script>',
                release: "r'1",
                since: NOW,
                sourceRun: 1,
                deployRun: 2,
              },
            ],
          },
        ],
      }),
    ]);
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script>alert');
    expect(out).not.toContain('<b>prod');
    expect(out).not.toContain('href="javascript:');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(out).toContain('r&#39;1');
    expect(out).toContain('data-environment="&lt;b&gt;prod&lt;/b&gt;"');
    expect(out).toContain('<span class="mono">javascript:alert(1)</span>');
  });

  it('says when an environment was never deployed, and when there are none at all', () => {
    const never = page([environment({ name: 'production', url: undefined, hosts: [], lastDeploy: null })]);
    expect(never).toContain('Never deployed: no host of production runs a release yet.');
    expect(never).toMatch(/class="last-deploy"><span class="muted">none yet<\/span>/);
    expect(never).not.toContain('<dt>URL</dt>');
    expect(never).not.toContain('<table');
    expect(page([])).toContain('No environments yet.');
  });
});
