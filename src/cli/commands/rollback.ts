import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { RunSummary } from '../../pipeline/summary.js';
import type { HostRelease } from '../../store/host-releases.js';
import { Store } from '../../store/store.js';
import { currentBranch, resolveCommit } from '../../workspace/git.js';
import { environmentTarget } from '../environment-target.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { rollbackWithProgress } from '../run-session.js';

interface RollbackCommandOptions {
  config?: string;
  to?: string;
  notify?: boolean;
  json?: boolean;
}

export function registerRollback(program: Command, setExit: (code: number) => void): void {
  program
    .command('rollback')
    .argument('<environment>', 'an environment of waggle.yml (staging, production, ...)')
    .description('put an environment back on a release its hosts kept; exit 0 rolled back, 1 failed')
    .option('-c, --config <file>', 'config file (default: waggle.yml here or at the git root)')
    .option('--to <release>', 'the release to go to (default: the one before what runs now)')
    .option('--no-notify', 'do not tell the contacts in waggle.yml how the rollback went')
    .option('--json', 'print a JSON summary and what each host runs on stdout (progress goes to stderr)')
    .addHelpText(
      'after',
      '\nNothing is rebuilt or uploaded: the hosts start a release they kept (keepReleases) again, one\n' +
        'release for the whole environment, and it must be on every host. Services pass their health\n' +
        'check before they count; when one fails, the environment stays on what it ran. It takes the\n' +
        "environment's deploy lock like a deploy, so it is refused while one is under way.",
    )
    .action(async (environment: string, options: RollbackCommandOptions) => {
      const { configFile, config, repo, home } = environmentTarget(options.config, environment);
      const summary = await rollbackWithProgress({
        home,
        config,
        repo,
        configFile,
        notify: options.notify !== false,
        environment,
        ...(options.to !== undefined ? { to: options.to } : {}),
        actor: `${userInfo().username} (cli)`,
        branch: currentBranch(repo),
        sha: resolveCommit(repo, 'HEAD'),
      });
      const running = await runningOn(home, environment);
      if (options.json) console.log(JSON.stringify(rollbackJson(summary, environment, running), null, 2));
      else console.log(rollbackText(summary, environment, running));
      setExit(summary.status === 'passed' ? EXIT_OK : EXIT_FAILED);
    });
}

async function runningOn(home: string, environment: string): Promise<HostRelease[]> {
  const store = Store.open(home);
  try {
    return await store.hostReleases.of(environment);
  } finally {
    await store.close();
  }
}

function rollbackJson(summary: RunSummary, environment: string, running: readonly HostRelease[]) {
  return {
    ...summary,
    environment,
    running: running.map((r) => ({
      host: r.host,
      package: r.package,
      release: r.release,
      sourceRun: r.source_run,
      deployRun: r.deploy_run,
      since: new Date(r.since).toISOString(),
    })),
  };
}

function rollbackText(summary: RunSummary, environment: string, running: readonly HostRelease[]): string {
  const lines =
    summary.status === 'passed'
      ? [`${environment} rolled back (rollback run ${summary.run})`]
      : [
          `rollback of ${environment} ${summary.status} (rollback run ${summary.run})`,
          ...summary.failedSteps.map((step) => `  ✗ ${step.name}${step.detail ? `: ${step.detail}` : ''}`),
        ];
  if (running.length === 0) return [...lines, `nothing is recorded as running on ${environment}`].join('\n');
  const width = (pick: (r: HostRelease) => string) => Math.max(...running.map((r) => pick(r).length));
  const hostWidth = width((r) => r.host);
  const packageWidth = width((r) => r.package);
  return [
    ...lines,
    `${environment} runs:`,
    ...running.map(
      (r) =>
        `  ${r.host.padEnd(hostWidth)}  ${r.package.padEnd(packageWidth)}  ${r.release}  (run ${r.source_run})`,
    ),
  ].join('\n');
}
