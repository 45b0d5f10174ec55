/** argv -> command. The one place that prints for humans and decides exit codes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors.js';
import { WaggleError } from '../errors.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { registerDb } from './commands/db.js';
import { registerDemo } from './commands/demo.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDoctor } from './commands/doctor.js';
import { registerHooks } from './commands/hooks.js';
import { registerInit } from './commands/init.js';
import { registerRollback } from './commands/rollback.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerSchema } from './commands/schema.js';
import { registerServe } from './commands/serve.js';
import { registerTokens } from './commands/tokens.js';
import { registerValidate } from './commands/validate.js';
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK } from './exit-codes.js';

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command('waggle')
    .description(
      'CI/CD for small teams on plain servers: a git push becomes a tested, packaged, deployed release.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--verbose', 'show stack traces of internal errors')
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 the pipeline or an operation failed, 2 bad input (usage, config).\n' +
        'Config: waggle.yml here or at the git root (-c FILE). State: a folder per repository under\n' +
        '~/.local/state/waggle/ (/var/lib/waggle/ as root; XDG_STATE_HOME; WAGGLE_HOME overrides).\n' +
        'Environment: WAGGLE_WEBHOOK_SECRET (serve), WAGGLE_SERVER and WAGGLE_TOKEN (runs against a server);\n' +
        'secrets named in waggle.yml are read from variables of the same name.',
    )
    .showHelpAfterError('(run "waggle --help" for usage)')
    .exitOverride();
  registerValidate(program, setExit);
  registerSchema(program);
  registerInit(program);
  registerDoctor(program, setExit);
  registerHooks(program);
  registerRun(program, setExit);
  registerRuns(program, setExit);
  registerDeploy(program, setExit);
  registerDb(program);
  registerRollback(program, setExit);
  registerDemo(program, setExit);
  registerServe(program);
  registerTokens(program);

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportError(error, program.opts<{ verbose?: boolean }>().verbose === true);
  }
}

function packageVersion(): string {
  const manifest = join(PACKAGE_ROOT, 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Known failures get one readable line; anything else is an internal error. */
function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version print themselves and are not errors.
    return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
  }
  if (error instanceof ConfigError) {
    for (const issue of error.issues) console.error(`${issue.path}: ${issue.message}`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof WaggleError) {
    // A failed command says which, with its exit code and last lines: a reason, not a crash.
    console.error(`waggle: ${error.message}`);
    if (verbose && error.stack) console.error(error.stack);
    return error.exitStatus === 2 ? EXIT_BAD_INPUT : EXIT_FAILED;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`waggle: ${message}`);
  if (verbose && error instanceof Error && error.stack) console.error(error.stack);
  else console.error('(run with --verbose for details)');
  return EXIT_FAILED;
}
