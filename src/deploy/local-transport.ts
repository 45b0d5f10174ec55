/**
 * The embedded default: a host that is a folder on this machine. Commands run here, with a
 * plain environment (not the server's: its secrets stay with it), files are copied.
 */
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runProcess } from '../exec/process.js';
import type { CommandOptions, CommandResult, Transport } from './transport.js';

export class LocalTransport implements Transport {
  constructor(
    readonly name: string,
    /** The folder commands start in when no cwd is given: the host's base. */
    private readonly base: string,
  ) {}

  async run(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    // A host folder that is not there yet is made, as a server's base folder would be.
    if (options.cwd === undefined) await mkdir(this.base, { recursive: true });
    const result = await runProcess(argv, {
      cwd: options.cwd ?? this.base,
      env: { ...plainEnvironment(), ...options.env },
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      outcome: result.outcome,
    };
  }

  async upload(localFile: string, hostPath: string): Promise<void> {
    await mkdir(dirname(hostPath), { recursive: true });
    await copyFile(localFile, hostPath);
  }

  async writeFile(hostPath: string, content: string | Buffer, mode: number): Promise<void> {
    await mkdir(dirname(hostPath), { recursive: true });
    // Written beside and renamed over, with its mode from the start: never readable by others, never half there.
    const partial = `${hostPath}.${process.pid}.partial`;
    await writeFile(partial, content, { mode });
    await rename(partial, hostPath);
  }

  async readFile(hostPath: string): Promise<Buffer | undefined> {
    try {
      return await readFile(hostPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {}
}

/** What a login shell on a server would have: a PATH, a HOME, a locale. Nothing of waggle's own. */
function plainEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
