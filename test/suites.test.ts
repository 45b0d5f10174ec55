/**
 * Several suites in one package, services started for the suites that need them, and the rule
 * that a suite which counted no tests did not pass. Real git, real processes.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/pipeline/summary.js';
import { waggle } from './helpers/cli.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { folderStepsCanWrite } from './helpers/step-folder.js';

// A suite writing JUnit with one case, or failing, depending on an argument; it records in a
// file that it ran, so the test can tell which suites a run really started.
const SUITE = `
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
const [name, outcome] = process.argv.slice(2);
appendFileSync(process.env.RAN_LOG, name + '\\n');
if (outcome === 'no-junit') process.exit(0);
const uri = process.env.DB_URI ?? 'none';
mkdirSync('reports', { recursive: true });
const failure = outcome === 'fail' ? '<failure message="expected ok"/>' : '';
writeFileSync('reports/' + name + '.xml', '<testsuite name="' + name + '"><testcase classname="' + name + '" name="db is ' + uri + '">' + failure + '</testcase></testsuite>');
process.exit(outcome === 'fail' ? 1 : 0);
`;

// A "database": listens on the port it is given until it is stopped; writes its pid.
const DB = `
const net = require('node:net');
require('node:fs').writeFileSync(process.env.PID_FILE, String(process.pid));
net.createServer((s) => s.end()).listen(Number(process.env.PORT), '127.0.0.1');
`;

function setup(config: string) {
  const repo = repoFrom(join(FIXTURES, 'mini'));
  const home = mkdtempSync(join(tmpdir(), 'waggle-suites-'));
  // What the suites and the "database" leave for the test: steps cannot write into waggle's home.
  const scratch = folderStepsCanWrite();
  writeFileSync(join(repo, 'suite.mjs'), SUITE);
  writeFileSync(join(repo, 'db.cjs'), DB);
  writeFileSync(join(repo, 'waggle.yml'), config.replaceAll('SCRATCH', scratch));
  commitAll(repo, 'suites');
  const run = async (args: string[] = []) => {
    const result = await waggle(['run', '--json', '--until', 'test', ...args], {
      cwd: repo,
      env: { WAGGLE_HOME: home },
    });
    return { ...result, summary: result.stdout ? (JSON.parse(result.stdout) as RunSummary) : undefined };
  };
  const ran = () => {
    const file = join(scratch, 'ran.log');
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  };
  return { repo, home, scratch, run, ran };
}

const port = 20_000 + (process.pid % 20_000);

describe('suites and services', () => {
  it('runs each named suite, hands a service to the suite that lists it, and stops it at the end', async () => {
    const { run, ran, home, scratch } = setup(`name: fx
services:
  db:
    run: [node, db.cjs]
    ready: { tcp: ${port} }
    env: { DB_URI: "tcp://127.0.0.1:${port}", PORT: "${port}", PID_FILE: SCRATCH/db.pid }
packages:
  lib:
    path: packages/lib
    build: false
    env: { RAN_LOG: SCRATCH/ran.log }
    test:
      - { name: client, run: [node, ../../suite.mjs, client], junit: reports/client.xml }
      - { name: server, run: [node, ../../suite.mjs, server], junit: reports/server.xml, services: [db] }
  app: { path: packages/app, test: false, build: false }
`);
    const result = await run(['--all']);
    expect(result.code, result.stderr).toBe(0);
    expect(ran().sort()).toEqual(['client', 'server']);
    expect(result.summary?.packages.lib?.tests).toEqual({ passed: 2, failed: 0, skipped: 0 });
    const shown = JSON.parse(
      (await waggle(['runs', 'show', '1', '--json'], { cwd: home, env: { WAGGLE_HOME: home } })).stdout,
    );
    const names = shown.tests.map((t: { name: string }) => t.name).sort();
    expect(names).toEqual(['db is none', `db is tcp://127.0.0.1:${port}`]);
    const pid = Number(readFileSync(join(scratch, 'db.pid'), 'utf8'));
    expect(existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))).toBe(
      false,
    );
  });

  it('fails a suite that wrote no JUnit, saying how to make its runner write it, unless junit: none', async () => {
    const { run, home } = setup(`name: fx
packages:
  lib:
    path: packages/lib
    build: false
    env: { RAN_LOG: SCRATCH/ran.log }
    test:
      - { name: silent, run: [node, ../../suite.mjs, silent, no-junit], junit: reports/silent.xml }
      - { name: exitcode, run: [node, ../../suite.mjs, exitcode, no-junit], junit: none }
  app: { path: packages/app, test: false, build: false }
`);
    const result = await run(['--all']);
    expect(result.code).toBe(1);
    expect(result.summary?.failedSteps).toEqual([
      { name: 'test lib silent', detail: 'no tests counted: nothing written to reports/silent.xml' },
    ]);
    const logs = await waggle(['runs', 'logs', '1', '--step', 'test:lib:silent'], {
      cwd: home,
      env: { WAGGLE_HOME: home },
    });
    expect(logs.stdout).toContain('jest-junit');
    expect(logs.stdout).toContain('karma-junit-reporter');
    const shown = JSON.parse(
      (await waggle(['runs', 'show', '1', '--json'], { cwd: home, env: { WAGGLE_HOME: home } })).stdout,
    );
    expect(shown.steps.find((s: { key: string }) => s.key === 'test:lib:exitcode').status).toBe('passed');
  });

  it('refuses two packages at one path, pointing to suites', async () => {
    const { repo } = setup(`name: fx
packages:
  client: { path: packages/lib }
  server: { path: packages/lib }
`);
    const result = await waggle(['validate'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('packages.server.path: same folder as packages.client');
    expect(result.stderr).toContain('test: [{ name, run, junit }');
  });

  it('says which service could not start, and why, and fails the suite that needed it', async () => {
    const { run } = setup(`name: fx
services:
  db: { run: [no-such-database-binary], ready: { tcp: ${port + 1} }, timeout: 5s }
packages:
  lib:
    path: packages/lib
    build: false
    env: { RAN_LOG: SCRATCH/ran.log }
    test: { run: [node, ../../suite.mjs, server], junit: reports/server.xml, services: [db] }
  app: { path: packages/app, test: false, build: false }
`);
    const result = await run(['--all']);
    expect(result.code).toBe(1);
    const detail = result.summary?.failedSteps[0]?.detail ?? '';
    expect(detail).toContain('service db');
    expect(detail).toContain('no-such-database-binary');
  });

  it('says which command could not start, and why, instead of a bare failure', async () => {
    const { run } = setup(`name: fx
packages:
  lib: { path: packages/lib, build: false, test: { run: [ng-not-installed, test] } }
  app: { path: packages/app, test: false, build: false }
`);
    const result = await run(['--all']);
    expect(result.code).toBe(1);
    expect(result.summary?.failedSteps[0]?.detail).toBe(
      "could not start ng-not-installed: not found on PATH (the package's and the root's node_modules/.bin come first; is it a dependency?)",
    );
  });
});
