/**
 * What affected-package detection and the cache save: on the reference app, a full run against a
 * run after a one-package change and a run after a change that reaches no package, all with the
 * install cache warm, in the same run. Goals: at most 35% and 10% of the full run.
 *
 *   npx tsx bench/affected.ts
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitAll } from '../test/helpers/repo.js';
import { referenceRepo, row, timed, waggleArgv } from './support.js';

const repo = referenceRepo();
const home = mkdtempSync(join(tmpdir(), 'bench-home-'));
const run = (...args: string[]) =>
  timed(waggleArgv('run', ...args), { cwd: repo, env: { WAGGLE_HOME: home } });

const cold = run('--all');
// Keep the installed node_modules, forget every build, suite and artifact: a full run's work.
for (const path of ['cache/builds', 'artifacts', 'waggle.db', 'waggle.db-wal', 'waggle.db-shm']) {
  rmSync(join(home, path), { recursive: true, force: true });
}
const full = run('--all');

appendFileSync(join(repo, 'back-end/billing/src/invoice-totals.ts'), '\n// bench: a one-package change\n');
commitAll(repo, 'billing: one-package change');
const onePackage = run();

appendFileSync(join(repo, 'README.md'), '\nbench: a change that reaches no package\n');
commitAll(repo, 'docs only');
const noChange = run();

console.log('affected (reference app, install cache warm)');
console.log(row('cold first run (npm ci included)', cold));
console.log(row('full run: --all, nothing cached but node_modules', full));
console.log(row('one-package change (billing)', onePackage, full));
console.log(row('no package changed (README)', noChange, full));
console.log(`one-package/full: ${((onePackage / full) * 100).toFixed(1)}% (goal <= 35%)`);
console.log(`no-change/full: ${((noChange / full) * 100).toFixed(1)}% (goal <= 10%)`);
rmSync(home, { recursive: true, force: true });
