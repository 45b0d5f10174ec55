/** What the benchmarks share: a fresh repository of the reference app and a wall-clock timer. */
import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import { WAGGLE_BIN } from '../test/helpers/cli.js';
import { repoFrom } from '../test/helpers/repo.js';

export const REFERENCE_APP = new URL('../examples/hivenue', import.meta.url).pathname;
const BUILD_LEFTOVERS = new Set(['node_modules', 'dist', 'reports', '.angular', '.waggle', 'coverage']);

export function referenceRepo(): string {
  return repoFrom(REFERENCE_APP, 'riipen', (path) => BUILD_LEFTOVERS.has(basename(path)));
}

/** Seconds a command takes, start to exit; it must succeed. Output goes to the terminal's stderr. */
export function timed(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): number {
  const started = process.hrtime.bigint();
  execFileSync(argv[0] as string, argv.slice(1), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', process.env.BENCH_VERBOSE ? 'inherit' : 'ignore'],
  });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export function waggleArgv(...args: string[]): string[] {
  return [process.execPath, WAGGLE_BIN, ...args];
}

export function row(label: string, seconds: number, baseline?: number): string {
  const ratio = baseline ? `  ${(seconds / baseline).toFixed(3)}x` : '';
  return `${label.padEnd(50)} ${seconds.toFixed(1).padStart(7)} s${ratio}`;
}
