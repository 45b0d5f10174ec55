/** A step's command: run in its folder, output into the step's log, killed with the run. */
import { type ProcessResult, runProcess } from '../../exec/process.js';
import type { Redactor } from '../../exec/redact.js';
import type { StepUser } from '../../exec/step-user.js';
import type { StepContext } from '../step.js';

export interface CommandOptions {
  timeoutMs?: number;
  /** The package the command works for: its env from waggle.yml and its node_modules/.bin. */
  pkg?: string;
  /** Variables of the services the command uses (MONGODB_URI of a database started for it). */
  extraEnv?: Readonly<Record<string, string>>;
}

export type RunCommand = (
  context: StepContext,
  argv: string[],
  cwd: string,
  options?: CommandOptions,
) => Promise<ProcessResult>;

/**
 * `envFor` gives the environment of a command run for a package, or for the run as a whole;
 * `user` is who runs pushed code (none for waggle's own commands, such as the checkout).
 */
export function commandRunner(
  envFor: (pkg?: string) => NodeJS.ProcessEnv,
  redactor: Redactor,
  user?: StepUser,
): RunCommand {
  return async (context, argv, cwd, { timeoutMs, pkg, extraEnv } = {}) => {
    const result = await runProcess(argv, {
      cwd,
      user,
      env: { ...envFor(pkg), ...extraEnv },
      timeoutMs,
      signal: context.signal,
      redactor,
      onLine: (line, stream) => context.log(line, stream),
    });
    if (result.outcome === 'timeout') context.log(`timed out after ${timeoutMs} ms: killed`, 'stderr');
    if (result.outcome === 'spawn') context.log(result.stderr.trim(), 'stderr');
    return result;
  };
}

/** Why a command failed, in a few words for the step's detail. */
export function describeExit(result: ProcessResult): string {
  if (result.outcome === 'timeout') return 'timed out';
  if (result.outcome === 'spawn') return `could not start ${result.argv[0]}: ${whyNoStart(result.stderr)}`;
  return `exit code ${result.exitCode}`;
}

/** spawn's error, said for people: ENOENT is a command missing from PATH (or a missing folder). */
function whyNoStart(stderr: string): string {
  if (/ENOENT/.test(stderr))
    return "not found on PATH (the package's and the root's node_modules/.bin come first; is it a dependency?)";
  if (/EACCES/.test(stderr)) return 'permission denied (not executable)';
  return stderr.trim().split('\n').at(-1) ?? 'unknown error';
}
