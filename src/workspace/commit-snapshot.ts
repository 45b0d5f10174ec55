/**
 * One commit's tree as git keeps it: every path with its object id, read by one git process, and
 * files read on demand. Asynchronous throughout, so a server planning a run keeps answering.
 */
import { posix } from 'node:path';
import { exec } from '../exec/process.js';

interface Entry {
  type: 'blob' | 'tree' | 'commit';
  id: string;
}

export class CommitSnapshot {
  private constructor(
    readonly repo: string,
    readonly sha: string,
    private readonly entries: ReadonlyMap<string, Entry>,
  ) {}

  static async read(repo: string, sha: string): Promise<CommitSnapshot> {
    const root = (await exec(['git', 'rev-parse', '--verify', `${sha}^{tree}`], { cwd: repo })).stdout.trim();
    // -t lists the trees as well as the files: a folder's tree id hashes all that is in it.
    const { stdout } = await exec(['git', 'ls-tree', '-r', '-t', '--full-tree', '-z', sha], { cwd: repo });
    const entries = new Map<string, Entry>();
    for (const record of stdout.split('\0')) {
      const tab = record.indexOf('\t');
      if (tab < 0) continue;
      const [, type, id] = record.slice(0, tab).split(' ');
      entries.set(record.slice(tab + 1), { type: type as Entry['type'], id: id as string });
    }
    // The repository's root folder is a package's folder too (`path: .`): it has the commit's tree.
    entries.set('', { type: 'tree', id: root });
    return new CommitSnapshot(repo, sha, entries);
  }

  /** The id of a file's blob or a folder's tree; the root folder ('' or '.') is the commit's tree. */
  objectId(path: string): string | undefined {
    return this.entries.get(normal(path))?.id;
  }

  /** Every file's path and blob id, in git's order (the root's '' entry is a tree, not listed). */
  files(): [string, string][] {
    return [...this.entries]
      .filter(([, entry]) => entry.type === 'blob')
      .map(([path, entry]) => [path, entry.id]);
  }

  /** A file's size in bytes, asked of git without reading the file. */
  async size(path: string): Promise<number> {
    const id = this.objectId(path);
    if (!id) throw new Error(`${path} is not in commit ${this.sha.slice(0, 12)}`);
    return Number((await exec(['git', 'cat-file', '-s', id], { cwd: this.repo })).stdout.trim());
  }

  async readFile(path: string): Promise<string> {
    const id = this.objectId(path);
    if (!id) throw new Error(`${path} is not in commit ${this.sha.slice(0, 12)}`);
    return (await exec(['git', 'cat-file', 'blob', id], { cwd: this.repo })).stdout;
  }
}

/** `./a/`, `a/./b` and `.` as git lists them: `a`, `a/b` and `` (the root). */
function normal(path: string): string {
  const clean = posix.normalize(path).replace(/\/+$/, '');
  if (clean === '.') return '';
  return clean.startsWith('./') ? clean.slice(2) : clean;
}
