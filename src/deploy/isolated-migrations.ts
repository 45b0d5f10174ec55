/**
 * A deploy's migrations, run in a process of their own (migrate-child.ts) as the user steps run
 * as: the scripts get the database they migrate and nothing of waggle's.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { FailedOperationError } from '../errors.js';
import { handOver, type StepUser } from '../exec/step-user.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { MigrationOutcome } from './mongo-migrations.js';

const CHILD = join(PACKAGE_ROOT, 'dist', 'deploy', 'migrate-child.js');

export async function runMigrationsApart(input: {
  uri: string;
  folder: string;
  user?: StepUser;
  log: (line: string, stream: 'stdout' | 'stderr') => void;
}): Promise<MigrationOutcome> {
  if (input.user) await handOver(input.folder, input.user);
  const child = spawn(process.execPath, [CHILD], {
    cwd: input.folder,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    ...(input.user ? { uid: input.user.uid, gid: input.user.gid } : {}),
  });
  for (const stream of ['stdout', 'stderr'] as const)
    child[stream].setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line) input.log(line, stream);
    });
  const result = text(child.stdio[3] as NodeJS.ReadableStream);
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', () => resolve());
  });
  child.stdin.end(JSON.stringify({ uri: input.uri, folder: input.folder }));
  await exited;
  const said = (await result).trim().split('\n').at(-1);
  const answer = said ? (JSON.parse(said) as { outcome?: MigrationOutcome; error?: string }) : {};
  if (answer.outcome) return answer.outcome;
  throw new FailedOperationError(
    answer.error ?? `migrations ended with no outcome (exit code ${child.exitCode})`,
  );
}
