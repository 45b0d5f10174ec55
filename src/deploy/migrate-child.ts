/**
 * The process a deploy's migrations run in: the scripts are the commit's code, so they run
 * here, as the user steps run as (exec/step-user.ts), and never inside waggle, whose memory holds
 * its secrets and SSH keys. Reads `{ uri, folder }` on stdin, writes the outcome (or the error)
 * as one JSON line on fd 3; what the scripts print goes to stdout and stderr, into the deploy's log.
 */
import { writeSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { runMigrations } from './mongo-migrations.js';

const RESULT_FD = 3;

try {
  const { uri, folder } = JSON.parse(await text(process.stdin)) as { uri: string; folder: string };
  const outcome = await runMigrations(uri, { folder });
  writeSync(RESULT_FD, `${JSON.stringify({ outcome })}\n`);
} catch (error) {
  writeSync(RESULT_FD, `${JSON.stringify({ error: (error as Error).message })}\n`);
  process.exitCode = 1;
}
