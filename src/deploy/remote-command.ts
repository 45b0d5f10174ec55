/**
 * SSH carries one command line, which the host's shell splits. waggle builds it from an argv
 * array by quoting every word, so no branch name, file name or value can become shell syntax:
 * the remote shell sees exactly the words waggle meant.
 */
import type { CommandOptions } from './transport.js';

/** One word for a POSIX shell: single-quoted, a ' inside written as '\'' . */
export function shellWord(word: string): string {
  if (word.includes('\0')) throw new Error('a command word cannot hold a NUL byte');
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The command line for an argv with its folder and variables: `env -C DIR NAME=value argv…`
 * (GNU env changes folder itself, so no `cd … &&` is needed either).
 */
export function remoteCommandLine(
  argv: readonly string[],
  options: Pick<CommandOptions, 'cwd' | 'env'> = {},
): string {
  if (argv.length === 0) throw new Error('empty command');
  const prefix: string[] = [];
  if (options.cwd !== undefined || options.env !== undefined) {
    prefix.push('env');
    if (options.cwd !== undefined) prefix.push('-C', options.cwd);
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a variable name: ${name}`);
      prefix.push(`${name}=${value}`);
    }
  }
  return [...prefix, ...argv].map(shellWord).join(' ');
}
