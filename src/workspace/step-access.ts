/**
 * What of waggle's home a step user may reach: the run workspaces and npm's download cache, and
 * nothing else. The home itself can be passed through but not listed (0711); the store, mirrors,
 * artifacts, reports, backups and the caches of node_modules and build outputs are waggle's alone.
 * Applied before each run, so folders made since (a first backup, a report) are closed too.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FailedOperationError } from '../errors.js';
import { handOver, type StepUser } from '../exec/step-user.js';

/** Folders of the home a step passes through, and what in them belongs to steps. */
const PASSAGES = ['workspaces', 'cache'];
const NPM_CACHE = join('cache', 'npm');

export async function openHomeToSteps(home: string, user: StepUser): Promise<void> {
  mkdirSync(home, { recursive: true });
  refuseUnreachable(home, user);
  chmodSync(home, 0o711);
  closeAllBut(home, PASSAGES);
  for (const passage of PASSAGES) {
    mkdirSync(join(home, passage), { recursive: true });
    chmodSync(join(home, passage), 0o711);
  }
  closeAllBut(join(home, 'cache'), ['npm']);
  mkdirSync(join(home, NPM_CACHE), { recursive: true, mode: 0o700 });
  if (statSync(join(home, NPM_CACHE)).uid !== user.uid) await handOver(join(home, NPM_CACHE), user);
}

/** Every entry but `open` made waggle's alone; sqlite's -wal and -shm take the store's mode. */
function closeAllBut(folder: string, open: readonly string[]): void {
  for (const name of readdirSync(folder)) {
    if (open.includes(name)) continue;
    const path = join(folder, name);
    const entry = lstatSync(path);
    if (entry.isSymbolicLink()) continue;
    chmodSync(path, entry.isDirectory() ? 0o700 : 0o600);
  }
}

/** A home inside a folder others cannot pass through is one no step can work in: say which. */
function refuseUnreachable(home: string, user: StepUser): void {
  for (let folder = dirname(home); ; folder = dirname(folder)) {
    if (existsSync(folder)) {
      const { mode, uid, gid } = statSync(folder);
      const passable = uid === user.uid ? mode & 0o100 : gid === user.gid ? mode & 0o010 : mode & 0o001;
      if (!passable)
        throw new FailedOperationError(
          `steps run as ${user.name}, who cannot reach waggle's home ${home}: ${folder} is closed to others (mode ${(mode & 0o777).toString(8)}). Choose a home elsewhere (WAGGLE_HOME), or let others pass: chmod o+x ${folder}`,
        );
    }
    if (folder === dirname(folder)) return;
  }
}
