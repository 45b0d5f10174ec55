import { dirname } from 'node:path';
import type { Command } from 'commander';
import { findConfigFile, loadConfig } from '../../config/load.js';
import { STAGES, type StageName } from '../../pipeline/step.js';
import type { RunSummary } from '../../pipeline/summary.js';
import { currentBranch, gitRoot, resolveCommit } from '../../workspace/git.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { homeOfConfig } from '../home.js';
import { runWithProgress } from '../run-session.js';
import { summaryText } from '../summary-text.js';
import { UsageError } from '../usage-error.js';

interface RunOptions {
  config?: string;
  sha?: string;
  base?: string;
  all?: boolean;
  cache?: boolean;
  notify?: boolean;
  until?: string;
  json?: boolean;
}

export function registerRun(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run the pipeline on a commit of this checkout; exit 0 passed, 1 failed')
    .option('-c, --config <file>', 'config file (default: waggle.yml here or at the git root)')
    .option('--sha <sha>', 'commit to run (default: HEAD)')
    .option('--base <ref>', "measure changes from this commit (default: the branch's last passed run)")
    .option(
      '--all',
      'build and test every package, changed or not (a package whose inputs already passed is still reported cached)',
    )
    .option(
      '--no-cache',
      'reuse nothing: a fresh npm ci, every build and suite run, every artifact made anew',
    )
    .option('--no-notify', 'do not tell the contacts in waggle.yml how the run went')
    .option('--until <stage>', `stop after this stage: ${STAGES.join(', ')}`)
    .option('--json', 'print a JSON summary on stdout (progress still goes to stderr)')
    .addHelpText(
      'after',
      '\nOnly packages changed since the base, and their dependents, are built and tested; a package\n' +
        'whose inputs already passed is reported as cached. Ctrl-C cancels the run cleanly.',
    )
    .action(async (options: RunOptions) => {
      const summary = await runFromCheckout(options, 'cli');
      setExit(summary.status === 'passed' ? EXIT_OK : EXIT_FAILED);
    });
}

export async function runFromCheckout(
  options: RunOptions,
  trigger: string,
  cwd = process.cwd(),
): Promise<RunSummary> {
  const configFile = findConfigFile(options.config, cwd);
  const { config } = loadConfig(configFile);
  const until = parseStage(options.until);
  const repo = gitRoot(dirname(configFile));
  if (!repo) throw new UsageError(`${configFile} is not in a git repository; waggle runs commits`);
  const sha = commitOf(repo, options.sha ?? 'HEAD');
  const base = options.base === undefined ? undefined : commitOf(repo, options.base);

  const summary = await runWithProgress({
    home: homeOfConfig(configFile),
    config,
    repo,
    configFile,
    sha,
    branch: currentBranch(repo),
    base,
    all: options.all,
    noCache: options.cache === false,
    notify: options.notify !== false,
    until,
    trigger,
  });
  console.log(options.json ? JSON.stringify(summary, null, 2) : summaryText(summary));
  return summary;
}

function parseStage(value: string | undefined): StageName | undefined {
  if (value === undefined) return undefined;
  if (!(STAGES as readonly string[]).includes(value))
    throw new UsageError(`--until must be one of ${STAGES.join(', ')}, not "${value}"`);
  return value as StageName;
}

function commitOf(repo: string, ref: string): string {
  try {
    return resolveCommit(repo, ref);
  } catch {
    throw new UsageError(`no commit "${ref}" in ${repo}`);
  }
}
