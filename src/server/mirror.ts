/**
 * The server's copy of the repository: a bare mirror under the waggle home, fetched before each
 * run so the pushed commit is there. Runs clone their workspace from it, not from the remote.
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../exec/process.js';
import type { Redactor } from '../exec/redact.js';

export class Mirror {
  readonly path: string;
  private fetching: Promise<void> = Promise.resolve();

  constructor(
    readonly source: string,
    home: string,
    private readonly redactor?: Redactor,
  ) {
    // One folder per source, named by its hash: the source may be a URL with a token in it.
    const id = createHash('sha256').update(source).digest('hex').slice(0, 16);
    this.path = join(home, 'repos', `${id}.git`);
  }

  /** Fetches all branches; then the commit must be there, or this throws saying so. */
  update(sha: string, signal?: AbortSignal): Promise<void> {
    // Runs side by side fetch one after another: two fetches into one repository fight over its locks.
    const turn = this.fetching.then(() => this.fetch(sha, signal));
    this.fetching = turn.catch(() => undefined);
    return turn;
  }

  private async fetch(sha: string, signal?: AbortSignal): Promise<void> {
    const options = { cwd: this.path, signal, redactor: this.redactor, timeoutMs: 10 * 60_000 };
    if (!existsSync(join(this.path, 'HEAD'))) {
      mkdirSync(join(this.path, '..'), { recursive: true });
      await exec(['git', 'clone', '--quiet', '--mirror', '--', this.source, this.path], {
        ...options,
        cwd: join(this.path, '..'),
      });
    } else {
      await exec(['git', 'fetch', '--quiet', '--prune', 'origin'], options);
    }
    try {
      await exec(['git', 'cat-file', '-e', `${sha}^{commit}`], options);
    } catch {
      throw new Error(
        `commit ${sha} is not in ${this.redactor ? this.redactor.redact(this.source) : this.source} after fetching`,
      );
    }
  }
}
