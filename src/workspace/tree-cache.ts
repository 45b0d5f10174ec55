/**
 * Folders kept under a content key (installed node_modules, build outputs) and put back into a
 * fresh workspace. Entries appear by an atomic rename, so a crash never leaves half an entry.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { exec } from '../exec/process.js';
import { handOver, type StepUser, takeBack } from '../exec/step-user.js';
import { resolveInside } from './inside.js';

const INDEX = '.waggle-paths.json';

export interface CopyMode {
  /**
   * Hard links instead of copies: instant and free of disk, but a file written in place in the
   * workspace would change the cache too; only for trees nothing writes into (node_modules).
   */
  link: boolean;
}

export class TreeCache {
  /**
   * `owner`: the user steps run as, who gets the trees put back; linked files stay waggle's, so a
   * step can add and remove files but never change what the cache holds.
   */
  constructor(
    private readonly dir: string,
    private readonly owner?: StepUser,
  ) {}

  has(key: string): boolean {
    return existsSync(join(this.dir, key, INDEX));
  }

  async save(key: string, fromRoot: string, paths: readonly string[], mode: CopyMode): Promise<void> {
    if (this.has(key)) return;
    const staging = join(this.dir, `.tmp-${key}-${process.pid}-${Date.now()}`);
    // A path that leads out of the tree (a committed symlink) is refused, never copied in.
    const present = outermost(paths).filter((path) => existsSync(resolveInside(fromRoot, path)));
    try {
      for (const path of present) await copy(join(fromRoot, path), join(staging, path), mode);
      // None may be there (an app with no dependencies has no node_modules): an empty entry is one too.
      mkdirSync(staging, { recursive: true });
      // Linked files are the workspace's own: taken back, a later step cannot change them in place.
      if (this.owner && mode.link) await takeBack(staging);
      writeFileSync(join(staging, INDEX), JSON.stringify(present));
      mkdirSync(this.dir, { recursive: true });
      renameSync(staging, join(this.dir, key));
    } catch (error) {
      if (!this.has(key)) throw error;
      // Another run saved the same key first: theirs is as good as ours.
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  /** Copies the entry's folders into `toRoot`; false when there is no such entry. */
  async restore(key: string, toRoot: string, mode: CopyMode): Promise<boolean> {
    if (!this.has(key)) return false;
    const entry = join(this.dir, key);
    const paths = JSON.parse(readFileSync(join(entry, INDEX), 'utf8')) as string[];
    for (const path of paths) {
      // Removing happens only inside the workspace, whatever symlinks the commit holds.
      const target = resolveInside(toRoot, path);
      rmSync(target, { recursive: true, force: true });
      await copy(join(entry, path), target, mode);
      if (this.owner) await handOver(target, this.owner, mode.link ? 'directories' : 'everything');
    }
    return true;
  }
}

/**
 * Each folder once, and none inside another listed: cp copies a folder that is already there into
 * it, so `node_modules` twice (the root's, and that of a package at `.`) saved a
 * node_modules/node_modules, where Node then finds a second copy of every dependency.
 */
function outermost(paths: readonly string[]): string[] {
  const unique = [...new Set(paths.map((path) => normalize(path)))];
  return unique.filter((path) => !unique.some((other) => other !== path && path.startsWith(other + sep)));
}

async function copy(from: string, to: string, mode: CopyMode): Promise<void> {
  mkdirSync(dirname(to), { recursive: true });
  // cp keeps symlinks as they are (npm links workspace packages) and links a large tree in ms.
  await exec(['cp', mode.link ? '-al' : '-a', '--', from, to], { cwd: dirname(to) });
}
