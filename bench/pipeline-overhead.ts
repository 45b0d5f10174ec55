/**
 * waggle's own cost: `waggle run --all --until package` on the reference app against a plain shell
 * script that runs the same commands (clone, npm ci, each build, each suite, a tarball per
 * deployable) one after another, both from cold caches, in the same run. Goal: ratio <= 1.05.
 *
 *   npx tsx bench/pipeline-overhead.ts [rounds]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceRepo, row, timed, waggleArgv } from './support.js';

const rounds = Number(process.argv[2] ?? 1);
const repo = referenceRepo();
const BACKEND = ['shared', 'ai-model', 'platform', 'billing', 'admin'];

// The baseline: what a team would write by hand, with no caching, parallelism or records.
const script = join(mkdtempSync(join(tmpdir(), 'bench-script-')), 'pipeline.sh');
writeFileSync(
  script,
  `set -euo pipefail
work=$(mktemp -d)
git clone --quiet --no-checkout "$1" "$work/src" && cd "$work/src" && git checkout --quiet --detach HEAD
npm ci --no-audit --no-fund
${BACKEND.map((p) => `(cd back-end/${p} && npm run build)`).join('\n')}
(cd front-end && npm run build)
${BACKEND.map((p) => `(cd back-end/${p} && CI=true npm test)`).join('\n')}
(cd front-end && CI=true npm test)
mkdir -p "$work/artifacts"
${BACKEND.slice(1)
  .map(
    (p) =>
      `tar -czf "$work/artifacts/${p}.tgz" -C back-end/${p} dist package.json && sha256sum "$work/artifacts/${p}.tgz"`,
  )
  .join('\n')}
tar -czf "$work/artifacts/web.tgz" -C front-end/dist/front-end/browser . && sha256sum "$work/artifacts/web.tgz"
rm -rf "$work"
`,
);

const scriptTimes: number[] = [];
const waggleTimes: number[] = [];
for (let round = 1; round <= rounds; round++) {
  scriptTimes.push(timed(['bash', script, repo], { cwd: repo }));
  const home = mkdtempSync(join(tmpdir(), 'bench-home-'));
  waggleTimes.push(
    timed(waggleArgv('run', '--all', '--until', 'package'), { cwd: repo, env: { WAGGLE_HOME: home } }),
  );
  rmSync(home, { recursive: true, force: true });
  console.error(
    `round ${round}: script ${scriptTimes.at(-1)?.toFixed(1)} s, waggle ${waggleTimes.at(-1)?.toFixed(1)} s`,
  );
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
console.log(`pipeline-overhead (${rounds} round${rounds === 1 ? '' : 's'}, medians, cold caches)`);
console.log(row('plain shell script (baseline)', median(scriptTimes)));
console.log(row('waggle run --all --until package', median(waggleTimes), median(scriptTimes)));
console.log(
  `wall-time ratio waggle/script: ${(median(waggleTimes) / median(scriptTimes)).toFixed(3)} (goal <= 1.05)`,
);
