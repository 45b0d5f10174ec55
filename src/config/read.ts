/**
 * Reading waggle.yml: a pushed commit chooses its content and size, and the file may be
 * unreadable or not a file at all. Each failure becomes one ConfigError line on `(file)`.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError } from './errors.js';

/** Larger than any real waggle.yml by far; refused before parsing. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export function readConfigText(file: string): string {
  let buffer: Buffer;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw Object.assign(new Error(`EISDIR: ${file}`), { code: 'EISDIR' });
    refuseOversized(stat.size, file);
    buffer = readFileSync(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw readError(file, error);
  }
  // The file may have grown after the stat.
  refuseOversized(buffer.length, file);
  return buffer.toString('utf8');
}

export function refuseOversized(bytes: number, file: string): void {
  if (bytes <= MAX_CONFIG_BYTES) return;
  const size = `${(bytes / MAX_CONFIG_BYTES).toFixed(1)} MB`;
  throw new ConfigError(file, [
    {
      path: '(file)',
      message: `${basename(file)} is ${size}; the limit is ${MAX_CONFIG_BYTES / (1024 * 1024)} MB`,
    },
  ]);
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOENT: 'it does not exist',
  ELOOP: 'too many symbolic links',
};

/** A failed read of the config as one readable line; keeps the original error as its cause. */
export function readError(file: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && REASONS[code]) ?? code ?? (error instanceof Error ? error.message : String(error));
  const failure = new ConfigError(file, [{ path: '(file)', message: `cannot read ${file}: ${reason}` }]);
  failure.cause = error;
  return failure;
}
