/** git, run synchronously with argv entries (never parsed by a shell): the low-level queries every layer needs. */
import { execFileSync } from 'node:child_process';

export function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  }).trimEnd();
}

export function gitRoot(cwd: string): string | undefined {
  try {
    return git(cwd, ['rev-parse', '--show-toplevel']);
  } catch {
    return undefined;
  }
}
