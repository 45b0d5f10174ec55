/**
 * Pushed code runs as a user of its own: a hostile suite cannot read waggle's environment through
 * /proc, a key file of waggle's user, the store, or list waggle's home; it cannot change in place
 * what the node_modules cache holds (which would turn later runs of other commits green or red);
 * and it can still do its work in its workspace.
 */
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stepUser } from '../src/exec/step-user.js';
import { waggle } from './helpers/cli.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';

const SERVER_SECRET = 'whsec-only-waggle-knows-3b9e';

// Each attempt prints `ATTEMPT <name> <ok|error code>`; the suite fails if any attempt that must
// be refused succeeded, so a green run is itself evidence.
const HOSTILE = `
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const home = dirname(dirname(process.env.HOME));
const attempts = {
  environ: () => readFileSync('/proc/' + process.ppid + '/environ', 'utf8'),
  key: () => readFileSync(process.argv[2], 'utf8'),
  store: () => readFileSync(join(home, 'waggle.db')),
  list: () => readdirSync(home),
  artifacts: () => writeFileSync(join(home, 'artifacts', 'planted'), 'x'),
  cache: () => appendFileSync('../../node_modules/.package-lock.json', '\\n'),
};
let leaked = false;
for (const [name, attempt] of Object.entries(attempts)) {
  try {
    const got = attempt();
    leaked = true;
    console.log('ATTEMPT ' + name + ' ok ' + String(got).slice(0, 200));
  } catch (error) {
    console.log('ATTEMPT ' + name + ' ' + error.code);
  }
}
writeFileSync('made-here.txt', 'a suite may write in its workspace');
console.log('ATTEMPT workspace ok');
process.exit(leaked ? 1 : 0);
`;

describe('what pushed code can reach on the machine', () => {
  let repo: string;
  let home: string;
  let key: string;
  const runs: { code: number; stdout: string; stderr: string }[] = [];
  const attempts = (stdout: string) =>
    Object.fromEntries([...stdout.matchAll(/ATTEMPT (\w+) (\S+)/g)].map((m) => [m[1], m[2]]));

  beforeAll(async () => {
    const secrets = mkdtempSync(join(tmpdir(), 'waggle-own-'));
    key = join(secrets, 'id_ed25519');
    writeFileSync(key, 'PRIVATE KEY OF WAGGLE', { mode: 0o600 });
    home = mkdtempSync(join(tmpdir(), 'waggle-isolation-'));
    repo = repoFrom(join(FIXTURES, 'mini'));
    writeFileSync(join(repo, 'hostile.mjs'), HOSTILE);
    writeFileSync(
      join(repo, 'waggle.yml'),
      `name: fx\npackages:\n  lib: { path: packages/lib, test: { run: [node, ../../hostile.mjs, ${JSON.stringify(key)}], junit: none } }\n  app: { path: packages/app }\n`,
    );
    commitAll(repo, 'a suite that reaches for what is not its own');
    const env = { WAGGLE_HOME: home, WAGGLE_WEBHOOK_SECRET: SERVER_SECRET };
    mkdirSync(join(home, 'artifacts'), { recursive: true });
    const run = async () => {
      const result = await waggle(['run', '--all'], { cwd: repo, env });
      const id = runs.length + 1;
      const logs = await waggle(['runs', 'logs', String(id)], { cwd: repo, env });
      runs.push({ ...result, stdout: `${result.stdout}\n${logs.stdout}` });
    };
    await run();
    // The second run finds node_modules in the cache: its files come back as hard links.
    appendFileSync(join(repo, 'packages', 'lib', 'value.txt'), 'changed\n');
    commitAll(repo, 'lib: a change that runs its suite again');
    await run();
  }, 300_000);

  it('runs the steps as an unprivileged user of their own', () => {
    const user = stepUser();
    expect(user?.uid).toBeGreaterThan(0);
    const workspace = join(home, 'workspaces', '1');
    expect(statSync(join(workspace, 'packages', 'lib', 'made-here.txt')).uid).toBe(user?.uid);
  });

  it('refuses every reach outside the workspace, and the suite passes on its own work', () => {
    for (const run of runs) {
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(attempts(run.stdout)).toEqual({
        environ: 'EACCES',
        key: 'EACCES',
        store: 'EACCES',
        list: 'EACCES',
        artifacts: 'EACCES',
        cache: 'EACCES',
        workspace: 'ok',
      });
      expect(run.stdout + run.stderr).not.toContain(SERVER_SECRET);
    }
  });

  it('keeps the node_modules cache as npm wrote it', () => {
    const entries = readdirSync(join(home, 'cache', 'node_modules'));
    expect(entries).toHaveLength(1);
    const lock = join(
      home,
      'cache',
      'node_modules',
      entries[0] as string,
      'node_modules',
      '.package-lock.json',
    );
    expect(readFileSync(lock, 'utf8').endsWith('}\n')).toBe(true);
    expect(statSync(lock).uid).toBe(process.getuid?.());
  });
});
