/**
 * A service released on a host under pm2: started from its release's own folder beside the old
 * release, which serves until the new one listens (no request fails in between), made current
 * only once healthy, and put back on the previous release when the new one fails its check.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTransport } from '../src/deploy/local-transport.js';
import { Pm2 } from '../src/deploy/pm2.js';
import { HostReleases, releaseId, releasePaths } from '../src/deploy/releases.js';
import { deployService } from '../src/deploy/service-deploy.js';
import { freePort } from './helpers/ports.js';
import { serviceArtifact } from './helpers/service-artifacts.js';

const SECRET = 'sk_live_do_not_leak_4242';

/** GETs sent one after another until stopped, on fresh connections and on a keep-alive one; what failed. */
function traffic(port: number) {
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  const releases = new Set<string>();
  const failures: string[] = [];
  let stopping = false;
  const once = (agent: Agent | false) =>
    new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          if (res.statusCode === 200) releases.add((JSON.parse(body) as { release: string }).release);
          else failures.push(`${res.statusCode} ${body}`);
          resolve();
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        failures.push(error.code ?? error.message);
        resolve();
      });
      req.end();
    });
  const client = async (agent: Agent | false) => {
    while (!stopping) await once(agent);
  };
  const running = [client(false), client(keepAlive)];
  return {
    stop: async () => {
      stopping = true;
      await Promise.all(running);
      keepAlive.destroy();
      return { releases: [...releases].sort(), failures };
    },
  };
}

describe('a service released under pm2', () => {
  let dir: string;
  let base: string;
  let port: number;
  let pm2: Pm2;
  let releases: HostReleases;
  const transport = () => new LocalTransport('staging-1', base);
  const lines: string[] = [];

  const release = (name: string, second: number, health = 200) => {
    const artifact = serviceArtifact(dir, name, health);
    const id = releaseId(new Date(Date.UTC(2026, 10, 30, 9, 0, second)), second, 'abc123');
    return deployService({
      transport: transport(),
      releases,
      manager: pm2,
      artifact,
      facts: { id, package: 'billing', sha256: artifact.sha256, commit: 'abc123', run: second },
      service: { name: 'hivenue-billing', start: ['node', 'index.js'], port, health: '/healthz' },
      variables: { BILLING_KEY: SECRET },
      health: { timeoutMs: 2_000, withinMs: 4_000, intervalMs: 200 },
      keepReleases: 5,
      log: (line) => lines.push(line),
    });
  };
  const ask = async () => (await fetch(`http://127.0.0.1:${port}/`)).json();
  /** What the service answered, or why it could not. */
  const asked = () => ask().catch((error: unknown) => ({ unanswered: String(error) }));
  type Outcome = Awaited<ReturnType<typeof release>>;
  // Three releases in a row, each on top of the last, made once here: what each left (its outcome,
  // what the service answered then) is kept for the tests, which only assert.
  let first: { outcome: Outcome; answer: unknown };
  let second: {
    outcome: Outcome;
    answer: unknown;
    pm2Cwd: string | undefined;
    /** What clients asking throughout the release saw. */
    traffic: { releases: string[]; failures: string[] };
  };
  let broken: { outcome: Outcome; answer: unknown; current: string | undefined };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-service-'));
    base = join(dir, 'host');
    mkdirSync(base);
    port = await freePort();
    pm2 = new Pm2(transport(), join(base, '.pm2'));
    releases = new HostReleases(transport(), releasePaths(base, 'hivenue', 'billing'));

    const one = await release('first', 1);
    first = { outcome: one, answer: await asked() };
    const clients = traffic(port);
    const two = await release('second', 2);
    second = {
      outcome: two,
      answer: await asked(),
      pm2Cwd: (await pm2.state('hivenue-billing'))?.cwd,
      traffic: await clients.stop(),
    };
    const three = await release('broken', 3, 500);
    broken = { outcome: three, answer: await asked(), current: await releases.current() };
  }, 60_000);
  afterAll(async () => {
    await pm2?.kill();
  });

  it('starts each release from its own folder, makes it current once healthy, and rolls a failing one back', () => {
    expect(first.outcome).toMatchObject({ status: 'deployed', health: { ok: true, status: 200 } });
    expect(first.answer).toMatchObject({ release: 'first', secret: SECRET });

    expect(second.outcome.status).toBe('deployed');
    // Started from the release's real folder: a reload could never keep running the old one.
    const answer = second.answer as { release: string; cwd: string };
    expect(answer.release).toBe('second');
    expect(answer.cwd).toBe(join(releases.paths.releases, second.outcome.release));
    expect(second.pm2Cwd).toBe(answer.cwd);
    // The old release answered until the new one took over: no request failed in between.
    expect(second.traffic).toEqual({ releases: ['first', 'second'], failures: [] });

    const outcome = broken.outcome;
    expect(outcome).toMatchObject({
      status: 'rolled-back',
      running: second.outcome.release,
      health: { ok: false, status: 500, body: 'db down' },
    });
    if (outcome.status !== 'rolled-back') throw new Error('not rolled back');
    expect(outcome.lastLines).toContain('database unreachable');
    expect(broken.answer).toMatchObject({ release: 'second' });
    expect(broken.current).toBe(second.outcome.release);
    expect(lines.join('\n')).toContain('failed its health check (500: db down)');
  });

  it('keeps the secrets in shared/.env with mode 0600 and nowhere in a release', () => {
    const envFile = join(releases.paths.shared, '.env');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(envFile, 'utf8')).toContain(SECRET);
    const files = (folder: string): string[] =>
      readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(join(folder, entry.name)) : [join(folder, entry.name)],
      );
    for (const file of files(releases.paths.releases))
      expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    for (const file of files(join(base, '.pm2')).filter((f) => !f.endsWith('.sock')))
      expect(readFileSync(file, 'utf8'), file).not.toContain(SECRET);
    expect(lines.join('\n')).not.toContain(SECRET);
  });
});
