/**
 * Deploys of the reference app to three servers (web, api, db: network namespaces with their own
 * address and sshd, the MongoDB stand-in on db) three ways, in the same run, each on fresh servers:
 * - baseline: Hivenue's bash script per server (copy the source over SSH, npm ci, build, restart
 *   the services under pm2 / copy the site), api then web, behind nginx configured by hand;
 * - `pm2 deploy` (git clone on the server, post-deploy npm ci, build, `pm2 startOrReload`), the same;
 * - waggle: `waggle run --until package` then `waggle deploy bench --run N` over SSH.
 * Each deploys twice: a first deploy, then a redeploy of a one-line change to billing (the one
 * that matters). During each, clients hit the site page and /api/<module>/ routes on web's address,
 * half on fresh connections and half on keep-alive ones, and every failed request is counted
 * (refused, reset, timed out, cut short, or a status outside 2xx/3xx).
 * Goals: waggle's redeploy has zero failed requests and takes at most 0.5 of the bash script's time.
 * The servers cannot reach the npm registry: the baselines' `npm ci --offline` reads npm's cache,
 * filled beforehand; waggle installs on this machine, where the registry is reachable.
 *
 *   npx tsx bench/deploy.ts [bash,pm2,waggle]
 * (as root; BENCH_VERBOSE=1 shows the commands' output, BENCH_KEEP=1 keeps it in a folder)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hivenueRepo } from '../test/helpers/hivenue.js';
import { commitAll } from '../test/helpers/repo.js';
import { type Approach, bashPerServer, type Context, pm2Deploy, waggleDeploy } from './deploy/approaches.js';
import { type BenchHosts, startHosts } from './deploy/hosts.js';
import { describeFailures, type LoadReport, startLoad } from './deploy/load.js';

const APPROACHES: Record<string, { label: string; make: (ctx: Context) => Approach }> = {
  bash: { label: 'bash script per server', make: bashPerServer },
  pm2: { label: 'pm2 deploy', make: pm2Deploy },
  waggle: { label: 'waggle run --until package + deploy', make: waggleDeploy },
};
const PATHS = [
  '/',
  '/api/billing/invoices?customer=acme',
  '/',
  '/api/platform/projects',
  '/',
  '/api/admin/stats',
  '/',
  '/api/ai-model/predictions',
];
/** Clients of each kind: fresh connection per request, keep-alive. */
const CLIENTS = 2;
/** The one-line change the redeploy ships. */
const CHANGED = 'back-end/billing/src/index.ts';

interface Measured {
  approach: string;
  deploy: 'first' | 'redeploy';
  seconds: number;
  parts: Record<string, number>;
  load: LoadReport;
}

const chosen = (process.argv[2] ?? 'bash,pm2,waggle').split(',');
for (const name of chosen) if (!APPROACHES[name]) throw new Error(`no approach ${name}: bash, pm2, waggle`);

const dir = mkdtempSync(join(tmpdir(), 'bench-deploy-'));
// waggle's steps run as an unprivileged user, who must reach its home and the repository.
chmodSync(dir, 0o755);
const repos: string[] = [];
/** Keep the commands' output (BENCH_KEEP, or a deploy failed). */
let keep = Boolean(process.env.BENCH_KEEP);
// Ctrl-C runs the exit hooks: the hosts' fixture removes its namespaces, this removes the folders.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
process.on('exit', () => {
  for (const folder of [...(keep ? [] : [dir]), ...repos]) rmSync(folder, { recursive: true, force: true });
  if (keep) console.error(`commands' output kept in ${dir}`);
});

// Only the baselines install on the hosts.
const npmCache = chosen.some((name) => name !== 'waggle') ? await fillNpmCache() : '';
const results: Measured[] = [];
for (const name of chosen) results.push(...(await measure(name)));
printTable(results);

async function measure(name: string): Promise<Measured[]> {
  const { label, make } = APPROACHES[name] as (typeof APPROACHES)[string];
  const hosts = await startHosts();
  const repo = await hivenueRepo();
  repos.push(repo);
  const ctx: Context = { hosts, repo, dir: mkdtempSync(join(dir, `${name}-`)), log: '', npmCache };
  for (const folder of [repo, ctx.dir]) chmodSync(folder, 0o755);
  ctx.log = join(ctx.dir, 'commands.log');
  writeFileSync(ctx.log, '');
  const approach = make(ctx);
  const measured: Measured[] = [];
  try {
    await approach.prepare();
    measured.push(await deployUnderLoad(label, 'first', hosts, () => approach.deploy(true)));
    const source = join(repo, CHANGED);
    const text = readFileSync(source, 'utf8');
    if (!text.includes("'billing failed to start:'"))
      throw new Error(`${CHANGED} changed: pick another line`);
    writeFileSync(source, text.replace("'billing failed to start:'", "'billing could not start:'"));
    commitAll(repo, 'billing: a one-line change');
    measured.push(await deployUnderLoad(label, 'redeploy', hosts, () => approach.deploy(false)));
    return measured;
  } catch (error) {
    keep = true;
    console.error(`${label} failed; its commands' output: ${ctx.log}`);
    throw error;
  } finally {
    await approach.stop?.();
    await hosts.stop();
  }
}

async function deployUnderLoad(
  approach: string,
  deploy: Measured['deploy'],
  hosts: BenchHosts,
  run: () => Promise<Record<string, number>>,
): Promise<Measured> {
  const load = startLoad({ base: hosts.url, paths: PATHS, clientsPerKind: CLIENTS });
  let report: LoadReport | undefined;
  try {
    if (deploy === 'redeploy') await load.healthy(20, 30_000);
    const started = performance.now();
    const parts = await run();
    const seconds = (performance.now() - started) / 1000;
    // Every route answers afterwards: the deploy did deploy.
    await load.healthy(20, 60_000);
    report = await load.stop();
    return { approach, deploy, seconds, parts, load: report };
  } finally {
    report ??= await load.stop();
    console.error(
      `${approach}, ${deploy}: ${report.requests} requests, ${report.failed} failed${report.failed ? `: ${describeFailures(report.failures)}` : ''}`,
    );
  }
}

/** npm's cache, holding every package of the reference app's lockfile (the hosts install offline). */
async function fillNpmCache(): Promise<string> {
  const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  const copy = await hivenueRepo();
  repos.push(copy);
  execFileSync(
    'npm',
    ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', cache],
    {
      cwd: copy,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  rmSync(copy, { recursive: true, force: true });
  return cache;
}

function printTable(rows: Measured[]): void {
  const bash = (deploy: Measured['deploy']) =>
    rows.find((r) => r.approach === APPROACHES.bash?.label && r.deploy === deploy)?.seconds;
  const lines: string[][] = [['', 'wall', '/ bash', 'requests', 'failed']];
  for (const deploy of ['redeploy', 'first'] as const) {
    for (const row of rows.filter((r) => r.deploy === deploy)) {
      const base = bash(deploy);
      lines.push([
        `${row.approach}, ${deploy === 'first' ? 'first deploy' : 'redeploy of a one-line change'}`,
        `${row.seconds.toFixed(1)} s`,
        base ? `${(row.seconds / base).toFixed(2)}x` : '',
        String(row.load.requests),
        String(row.load.failed),
      ]);
      if (Object.keys(row.parts).length > 1)
        for (const [part, seconds] of Object.entries(row.parts))
          lines.push([`  ${part}`, `${seconds.toFixed(1)} s`, '', '', '']);
    }
  }
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...lines.map((line) => (line[i] as string).length)));
  console.log(
    `deploy: web, api and db over SSH; load: ${CLIENTS} fresh-connection + ${CLIENTS} keep-alive clients, the page and ${PATHS.length / 2} API routes`,
  );
  for (const line of lines)
    console.log(
      line
        .map((cell, i) =>
          i === 0 ? cell.padEnd(widths[0] as number) : cell.padStart((widths[i] as number) + 2),
        )
        .join(''),
    );
  console.log(
    'first deploys: nothing serves until the first release is up, so their failed requests are that wait',
  );
  const waggle = rows.find((r) => r.approach === APPROACHES.waggle?.label && r.deploy === 'redeploy');
  const base = bash('redeploy');
  if (waggle && base)
    console.log(
      `waggle redeploy: ${waggle.load.failed} failed requests (goal 0), ${(waggle.seconds / base).toFixed(2)}x the bash script's time (goal <= 0.5)`,
    );
}
