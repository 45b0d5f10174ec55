import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { Store } from '../../store/store.js';
import { currentBranch } from '../../workspace/git.js';
import { environmentTarget } from '../environment-target.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { deployWithProgress } from '../run-session.js';
import { UsageError } from '../usage-error.js';

interface DeployCommandOptions {
  config?: string;
  run?: string;
  forceUnlock?: boolean;
  notify?: boolean;
  json?: boolean;
}

export function registerDeploy(program: Command, setExit: (code: number) => void): void {
  program
    .command('deploy')
    .argument('<environment>', 'an environment of waggle.yml (staging, production, ...)')
    .description("deploy a passed run's artifacts to an environment; exit 0 deployed, 1 failed")
    .option('-c, --config <file>', 'config file (default: waggle.yml here or at the git root)')
    .option('--run <id>', "the run whose artifacts go (default: this branch's newest passed run)")
    .option(
      '--force-unlock',
      "open the environment's deploy lock first, for one a crashed deploy left (recorded in the audit log)",
    )
    .option('--no-notify', 'do not tell the contacts in waggle.yml how the deploy went')
    .option('--json', 'print a JSON summary on stdout (progress still goes to stderr)')
    .addHelpText(
      'after',
      '\nThe same bytes the run tested go out: no rebuild. Services start from the new release and must\n' +
        'pass their health check before it counts; a failing one puts the environment back on what it\n' +
        'ran. One deploy at a time per environment: a second is refused, naming the one under way.',
    )
    .action(async (environment: string, options: DeployCommandOptions) => {
      const { configFile, config, repo, home } = environmentTarget(options.config, environment);
      const sourceRun = await chooseRun(home, repo, options.run);
      const actor = `${userInfo().username} (cli)`;
      const summary = await deployWithProgress({
        home,
        config,
        repo,
        configFile,
        notify: options.notify !== false,
        environment,
        sourceRun,
        actor,
        beforeStart: async (store) => {
          if (!options.forceUnlock) return;
          const holder = await store.deployLocks.forceOpen(environment);
          await store.audit.record({
            actor,
            action: 'deploy.force-unlock',
            target: environment,
            detail: holder ? `held by run ${holder.run_id} (${holder.actor})` : 'it was not held',
          });
          process.stderr.write(
            `waggle: ${environment}'s deploy lock opened${holder ? ` (it was held by run ${holder.run_id}, ${holder.actor})` : ''}\n`,
          );
        },
      });
      if (options.json) console.log(JSON.stringify(summary, null, 2));
      else if (summary.status === 'passed') {
        console.log(`run ${sourceRun} deployed to ${environment} (deploy run ${summary.run})`);
      } else {
        console.log(
          `deploy of run ${sourceRun} to ${environment} ${summary.status} (deploy run ${summary.run})`,
        );
        for (const step of summary.failedSteps)
          console.log(`  ✗ ${step.name}${step.detail ? `: ${step.detail}` : ''}`);
      }
      setExit(summary.status === 'passed' ? EXIT_OK : EXIT_FAILED);
    });
}

async function chooseRun(home: string, repo: string, given: string | undefined): Promise<number> {
  const store = Store.open(home);
  try {
    if (given !== undefined) {
      const id = Number(given);
      if (!Number.isInteger(id) || id < 1) throw new UsageError(`--run must be a run number, not "${given}"`);
      if (!(await store.runs.get(id))) throw new UsageError(`there is no run ${id}`);
      return id;
    }
    const branch = currentBranch(repo);
    const newest = await store.runs.newestPassed(repo, branch);
    if (!newest)
      throw new UsageError(
        `no passed run of ${branch} to deploy: run \`waggle run\` first, or name one with --run`,
      );
    return newest.id;
  } finally {
    await store.close();
  }
}
