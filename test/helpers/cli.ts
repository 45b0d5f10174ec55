/** Runs the built `waggle` CLI as a user would: a real process, real argv, real exit code. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const WAGGLE_BIN = fileURLToPath(new URL('../../bin/waggle.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function waggle(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [WAGGLE_BIN, ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
