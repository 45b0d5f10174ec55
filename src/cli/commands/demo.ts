import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { PACKAGE_ROOT } from '../../package-root.js';
import type { RunSummary } from '../../pipeline/summary.js';
import { git } from '../../workspace/git.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { waggleHome } from '../home.js';
import { runWithProgress } from '../run-session.js';
import { summaryText } from '../summary-text.js';
import { UsageError } from '../usage-error.js';

const REFERENCE_APP = join(PACKAGE_ROOT, 'examples', 'hivenue');
/** Left out of the demo repository: installs and outputs of earlier local runs. */
const NOT_SOURCE = new Set([
  'node_modules',
  'dist',
  'reports',
  'coverage',
  '.angular',
  '.waggle',
  'test-results',
]);

interface DemoOptions {
  scenario: string;
  manual?: boolean;
  json?: boolean;
}

export function registerDemo(program: Command, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('the whole story on the reference app (examples/hivenue), locally')
    .option('--scenario <name>', 'good: the release goes through', 'good')
    .option('--manual', 'wait for a manual approval before production')
    .option('--json', 'print { outcome, run, report, stages } on stdout')
    .addHelpText(
      'after',
      '\nCopies the reference app into a fresh git repository on branch riipen and runs its pipeline:\n' +
        'checkout, npm ci, build, Jest and Jasmine suites, and one artifact per deployable package.\n' +
        "State goes to this checkout's folder under ~/.local/state/waggle/ (WAGGLE_HOME overrides);\n" +
        'installs and passed builds are reused, so a second demo is quick.',
    )
    .action(async (options: DemoOptions) => {
      if (options.scenario !== 'good') {
        throw new UsageError(
          `--scenario ${options.scenario}: only "good" is available until production rollouts are`,
        );
      }
      if (options.manual) throw new UsageError('--manual: approvals are not available yet');
      const home = waggleHome(PACKAGE_ROOT);
      const summary = await runDemo(home);
      const report = join(home, 'reports', `run-${summary.run}.json`);
      mkdirSync(join(report, '..'), { recursive: true });
      writeFileSync(report, `${JSON.stringify(summary, null, 2)}\n`);
      const outcome = summary.status === 'passed' ? 'packaged' : 'failed';
      if (options.json) {
        console.log(JSON.stringify({ outcome, run: summary.run, report, stages: summary.stages }, null, 2));
      } else {
        console.log(summaryText(summary));
        console.log(`\nDemo ${outcome}. Summary: ${report}`);
      }
      setExit(summary.status === 'passed' ? EXIT_OK : EXIT_FAILED);
    });
}

async function runDemo(home: string): Promise<RunSummary> {
  const repo = join(home, 'demo', basename(REFERENCE_APP));
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  cpSync(REFERENCE_APP, repo, { recursive: true, filter: (path) => !NOT_SOURCE.has(basename(path)) });
  git(repo, ['init', '--quiet', '--initial-branch', 'riipen']);
  git(repo, ['add', '-A']);
  git(repo, [
    '-c',
    'user.name=waggle demo',
    '-c',
    'user.email=demo@waggle.invalid',
    'commit',
    '--quiet',
    '-m',
    'Hivenue reference app',
  ]);
  const configFile = join(repo, 'waggle.yml');
  const { config } = loadConfig(configFile);
  return runWithProgress({
    home,
    config,
    repo,
    configFile,
    sha: git(repo, ['rev-parse', 'HEAD']),
    branch: 'riipen',
    all: true,
    trigger: 'demo',
    // The reference app's contacts are Hivenue's people: a demo on this machine tells nobody.
    notify: false,
  });
}
