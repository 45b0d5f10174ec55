import { FailedOperationError } from '../errors.js';

/** A process that failed: what ran, where, how it ended and what it said. */
export class ExecError extends FailedOperationError {
  constructor(
    readonly argv: readonly string[],
    readonly cwd: string,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
    readonly reason: 'exit' | 'timeout' | 'cancelled' | 'spawn',
    options?: { cause?: unknown },
  ) {
    const how =
      reason === 'timeout'
        ? 'timed out'
        : reason === 'cancelled'
          ? 'was cancelled'
          : reason === 'spawn'
            ? 'could not start'
            : `exited with ${exitCode}`;
    const detail = (stderr.trim() || stdout.trim()).split('\n').slice(-5).join('\n');
    super(`${argv.join(' ')} ${how}${detail ? `:\n${detail}` : ''}`, options);
    this.name = 'ExecError';
  }
}
