/**
 * Retention: after a run, what the configuration does not keep is removed from the waggle home,
 * so its size is bounded by `retention` in waggle.yml rather than by the number of runs.
 *
 * Layout (see ci-run.ts, artifact.ts, tree-cache.ts):
 *   workspaces/<runId>, workspaces/<runId>.home        a run's checkout and its steps' HOME
 *   artifacts/<name>-<key12>.tgz(.sha256|.manifest.json)
 *   cache/node_modules/<lockfile key>                  installs, hard-linked into workspaces
 *   cache/builds/<content key>                         build outputs, with cache_entries rows
 *
 * Nothing an unfinished run may use is removed, and nothing outside the home is: each path is
 * resolved on disk first, and a symlink is removed as a link, never followed.
 */
import { lstatSync, readdirSync, realpathSync, rmSync, utimesSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isInside } from '../config/paths.js';
import type { Config } from '../config/schema.js';
import type { Store } from '../store/store.js';
import { artifactFile } from './artifact.js';

export interface RetentionInput {
  home: string;
  store: Store;
  retention: Config['retention'];
  /** Runs whose state stays whatever its age: the run that just ended, say. */
  keepRunIds?: readonly number[];
  /** node_modules cache entries in use (the current run's lockfile key): kept, and marked as just used. */
  keepInstallKeys?: readonly string[];
  /** The clock, in ms: when a kept install entry was last used. */
  now?: number;
}

export interface RetentionResult {
  /** Bytes of regular files whose last link was removed: what the disk got back. */
  removedBytes: number;
  /** Absolute paths removed, in the order they went. */
  removed: string[];
}

const RUN_FOLDER = /^(\d+)(\.home)?$/;
const ARTIFACT_FILE = /^(.+\.tgz)(\.sha256|\.manifest\.json)?$/;
/** In-progress saves of the tree cache and artifact staging: they belong to a step still running. */
const IN_PROGRESS = /^\.(tmp|staging)-/;
const PLAIN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export async function applyRetention(input: RetentionInput): Promise<RetentionResult> {
  const { store, retention } = input;
  const remover = new Remover(input.home);
  if (!remover.root) return { removedBytes: 0, removed: [] };
  const unfinished = await store.runs.unfinishedIds();
  const kept = [...new Set([...unfinished, ...(input.keepRunIds ?? [])])];
  const inUse = await store.steps.keyed(kept);

  // Workspaces first: their node_modules are links into the cache, so the cache's bytes are
  // only counted as freed once the last workspace linking them has gone.
  removeWorkspaces(remover, retention.workspaces, new Set(kept));

  const artifactsKept = new Set(
    (await store.artifacts.filesToKeep(retention.artifacts, kept)).map((file) => basename(file)),
  );
  for (const step of inUse) {
    if (step.key.startsWith('package:') && step.package)
      artifactsKept.add(basename(artifactFile('', step.package, step.cacheKey)));
  }
  removeArtifacts(remover, artifactsKept);

  // Which install entry a run links from is not recorded: none goes while another run may be linking.
  const others = unfinished.filter((id) => !(input.keepRunIds ?? []).includes(id));
  if ((await store.steps.runsBeforeInstall(others)).length === 0)
    removeInstalls(remover, retention.installs, input.keepInstallKeys ?? [], input.now ?? Date.now());

  await removeBuilds(remover, store, retention.builds, new Set(inUse.map((step) => step.cacheKey)));
  return { removedBytes: remover.freed, removed: remover.removed };
}

function removeWorkspaces(remover: Remover, keep: number, protectedIds: ReadonlySet<number>): void {
  const dir = join(remover.home, 'workspaces');
  const byRun = new Map<number, string[]>();
  for (const name of list(dir)) {
    const match = RUN_FOLDER.exec(name);
    if (!match) continue;
    const id = Number(match[1]);
    byRun.set(id, [...(byRun.get(id) ?? []), name]);
  }
  const newest = [...byRun.keys()].sort((a, b) => b - a);
  for (const id of newest.slice(keep)) {
    if (protectedIds.has(id)) continue;
    for (const name of byRun.get(id) ?? []) remover.remove(join(dir, name));
  }
}

function removeArtifacts(remover: Remover, keep: ReadonlySet<string>): void {
  const dir = join(remover.home, 'artifacts');
  for (const name of list(dir)) {
    const tarball = ARTIFACT_FILE.exec(name)?.[1];
    if (tarball && !keep.has(tarball)) remover.remove(join(dir, name));
  }
}

function removeInstalls(remover: Remover, keep: number, inUse: readonly string[], now: number): void {
  const dir = join(remover.home, 'cache', 'node_modules');
  const entries = list(dir)
    .filter((name) => !IN_PROGRESS.test(name))
    .map((name) => ({ name, mtime: mtimeOf(join(dir, name)) }));
  // The entries in use count as just used, now and at the next round.
  for (const entry of entries.filter((e) => inUse.includes(e.name))) {
    const real = remover.inside(join(dir, entry.name));
    if (real && lstatOrUndefined(real)?.isDirectory()) {
      utimesSync(real, now / 1000, now / 1000);
      entry.mtime = now;
    }
  }
  entries.sort((a, b) => b.mtime - a.mtime || a.name.localeCompare(b.name));
  for (const entry of entries.slice(keep))
    if (!inUse.includes(entry.name)) remover.remove(join(dir, entry.name));
}

async function removeBuilds(
  remover: Remover,
  store: Store,
  keepPerPackage: number,
  inUse: ReadonlySet<string>,
): Promise<void> {
  const dir = join(remover.home, 'cache', 'builds');
  const rows = await store.cache.builds();
  const remembered = new Set(rows.map((row) => row.key));
  const seen = new Map<string, number>();
  const going: string[] = [];
  for (const row of rows) {
    const rank = seen.get(row.package) ?? 0;
    seen.set(row.package, rank + 1);
    if (rank >= keepPerPackage && !inUse.has(row.key)) going.push(row.key);
  }
  // The rows go first: a crash between the two leaves outputs nobody recalls (removed next
  // time, as below), never a recalled build whose outputs are gone.
  await store.cache.forgetBuilds(going);
  // Keys are content hashes; one that is not a plain name never becomes a path.
  for (const key of going) if (PLAIN_NAME.test(key)) remover.remove(join(dir, key));
  // Outputs no row remembers can never be recalled: their row was forgotten, or never written.
  for (const name of list(dir)) {
    if (!IN_PROGRESS.test(name) && !remembered.has(name) && !inUse.has(name)) remover.remove(join(dir, name));
  }
}

/** Removes paths inside one home only, counting what the disk gets back. */
class Remover {
  readonly root: string | undefined;
  freed = 0;
  readonly removed: string[] = [];

  constructor(readonly home: string) {
    this.root = realpathOrUndefined(home);
  }

  /** `path` as it really lies, when its folder is inside the home (the path itself may be a link). */
  inside(path: string): string | undefined {
    const parent = realpathOrUndefined(dirname(path));
    if (!this.root || !parent || !isInside(this.root, parent)) return undefined;
    const real = join(parent, basename(path));
    return real !== this.root && isInside(this.root, real) ? real : undefined;
  }

  remove(path: string): void {
    const real = this.inside(path);
    if (!real || !lstatOrUndefined(real)) return;
    this.freed += freedBy(real);
    // rm does not follow links: a link inside the tree goes, whatever it points at stays.
    rmSync(real, { recursive: true, force: true });
    this.removed.push(path);
  }
}

/** Bytes of the files under `root` whose every hard link is under `root` too. */
function freedBy(root: string): number {
  const links = new Map<string, { size: number; nlink: number; seen: number }>();
  walk(root, (key, stats) => {
    const entry = links.get(key) ?? { size: stats.size, nlink: stats.nlink, seen: 0 };
    entry.seen++;
    links.set(key, entry);
  });
  let freed = 0;
  for (const entry of links.values()) if (entry.seen >= entry.nlink) freed += entry.size;
  return freed;
}

export interface SpaceUsed {
  /** Bytes of regular files under the home, each hard-linked file counted once. */
  total: number;
  /**
   * The same, by entry of the home (workspaces, artifacts, cache, repos, waggle.db, ...). A file
   * linked from two folders counts in the first by name: node_modules in `cache`, not `workspaces`.
   */
  byFolder: Record<string, number>;
}

/** Space the home takes, symlinks not followed. */
export function spaceUsed(home: string): SpaceUsed {
  const seen = new Set<string>();
  const byFolder: Record<string, number> = {};
  let total = 0;
  for (const name of list(home).sort()) {
    let bytes = 0;
    walk(join(home, name), (key, stats) => {
      if (seen.has(key)) return;
      seen.add(key);
      bytes += stats.size;
    });
    byFolder[name] = bytes;
    total += bytes;
  }
  return { total, byFolder };
}

interface FileStats {
  size: number;
  nlink: number;
}

/** Each regular file under `root` (or `root` itself), by device and inode; links not followed. */
function walk(root: string, onFile: (key: string, stats: FileStats) => void): void {
  const stack = [root];
  while (stack.length > 0) {
    const path = stack.pop() as string;
    const stats = lstatOrUndefined(path);
    if (!stats) continue;
    if (stats.isDirectory()) for (const name of list(path)) stack.push(join(path, name));
    else if (stats.isFile()) onFile(`${stats.dev}:${stats.ino}`, stats);
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function mtimeOf(path: string): number {
  return lstatOrUndefined(path)?.mtimeMs ?? 0;
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
