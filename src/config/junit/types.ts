/**
 * The words shared by the JUnit check: how files are read, which runner a command starts, and where
 * that runner's JUnit file goes. Every reader here is pure over file contents read through
 * `ReadFile`; configs are read as text and never run, and what text cannot tell is `unknown`.
 */

/** A file's text by its path relative to the repository root; undefined when it cannot be read. */
export type ReadFile = (path: string) => string | undefined;

export type Runner = 'jest' | 'karma' | 'mocha' | 'vitest' | 'ng' | 'playwright' | 'cypress';

/** One runner started by a command or an npm script. */
export interface Invocation {
  runner: Runner;
  /** The runner's words, from its own name on: ['jest', '--runInBand']. */
  words: string[];
  /** Words before it that it runs under (nyc, c8, node --flag, dotenv -e .env --). */
  wrappers: string[];
  /** Variables set on the command line (NODE_ENV=test jest, cross-env). */
  env: Record<string, string>;
  /** Folder it runs in, relative to the package: "." unless the script changes folder. */
  cwd: string;
  /** The npm script it is written in; `last` when it is that script's last command. */
  script?: string;
  last: boolean;
}

/** Where the JUnit file goes: a path relative to the repository root, nowhere (and why), or unknown. */
export type JUnitOutput =
  | { kind: 'file'; path: string; reporter?: string }
  | { kind: 'missing'; problem: string }
  | { kind: 'unknown' };

/** What a runner's reader is given: the runner's words, where it runs, and what it is handed. */
export interface RunnerCall {
  words: string[];
  /** The folder the runner runs in, and its package's folder, relative to the repository root. */
  cwd: string;
  pkg: string;
  /** The suite's env with the variables its command line sets. */
  env: Record<string, string>;
  read: ReadFile;
}

/** Where one runner writes its JUnit file, by its own configuration. */
export type JUnitReader = (call: RunnerCall) => JUnitOutput;
