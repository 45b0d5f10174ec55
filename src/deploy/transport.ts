/**
 * How waggle works on a host: run a command (an argv array), put a file there. A host given by
 * `path` alone is a folder on this machine (the local transport); one with an address is reached
 * over SSH. Everything above this interface is the same for both.
 */
import { ExecError } from '../exec/exec-error.js';

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outcome: 'exit' | 'timeout' | 'cancelled' | 'spawn';
}

export interface CommandOptions {
  /** Folder on the host the command runs in. */
  cwd?: string;
  /** Variables added to the command's environment. Never secrets: over SSH they show in `ps`. */
  env?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Transport {
  /** The host's name, for messages. */
  readonly name: string;
  /** Runs a command; a non-zero exit is a result, a host that cannot be reached an error. */
  run(argv: readonly string[], options?: CommandOptions): Promise<CommandResult>;
  /** Copies a local file to a path on the host. */
  upload(localFile: string, hostPath: string): Promise<void>;
  /** Writes a file on the host with this mode (0o600 for secrets); never through a command line. */
  writeFile(hostPath: string, content: string | Buffer, mode: number): Promise<void>;
  /** Reads a file on the host; undefined when it does not exist. */
  readFile(hostPath: string): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

/** Runs a command that must succeed: its failure throws with the command, the host and its last lines. */
export async function mustRun(
  transport: Transport,
  argv: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const result = await transport.run(argv, options);
  if (result.outcome !== 'exit' || result.exitCode !== 0) {
    throw new ExecError(
      argv,
      `${transport.name}:${options.cwd ?? '~'}`,
      result.exitCode,
      result.stdout,
      result.stderr,
      result.outcome,
    );
  }
  return result;
}
