/**
 * A scratch folder the commands of a run may write into. Steps run as an unprivileged user of
 * their own (src/exec/step-user.ts), who can write neither into the test's own temporary folders
 * nor into waggle's home: a marker a test suite leaves for the test goes here.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function folderStepsCanWrite(prefix = 'waggle-steps-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(folder, 0o1777);
  return folder;
}
