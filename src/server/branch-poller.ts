/**
 * GitHub does not redeliver a webhook it failed to send. Every `server.poll`, ask the GitHub API
 * for each watched branch's head and queue a run for a head no run has seen.
 */
import type { Config } from '../config/schema.js';
import { interpolate } from '../config/secrets.js';
import { queueRun } from '../pipeline/ci-run.js';
import type { Store } from '../store/store.js';
import type { Mirror } from './mirror.js';

export interface BranchPollerDeps {
  store: Store;
  mirror: Mirror;
  github: NonNullable<Config['github']>;
  branches: readonly string[];
  intervalMs: number;
  env: NodeJS.ProcessEnv;
  onQueued(runId: number): void;
  log(message: string): void;
}

export class BranchPoller {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(private readonly deps: BranchPollerDeps) {}

  start(): void {
    this.timer = setInterval(() => {
      this.polling = this.polling
        .then(() => this.pollOnce())
        .then(
          () => undefined,
          (error: unknown) => this.deps.log(`poll failed: ${String(error)}`),
        );
    }, this.deps.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** Queues a run for each branch head without one; returns the ids queued. */
  async pollOnce(): Promise<number[]> {
    const queued: number[] = [];
    for (const branch of this.deps.branches) {
      const sha = await this.head(branch);
      if (!sha || (await this.deps.store.runs.forCommit(this.deps.mirror.path, branch, sha))) continue;
      await this.deps.mirror.update(sha);
      const runId = await queueRun(this.deps.store, {
        repo: this.deps.mirror.path,
        sha,
        branch,
        trigger: 'poll',
      });
      this.deps.log(
        `branch ${branch} is at ${sha.slice(0, 12)}, which no push delivered: queued run ${runId}`,
      );
      this.deps.onQueued(runId);
      queued.push(runId);
    }
    return queued;
  }

  /** GET /repos/{owner}/{repo}/branches/{branch}: the head commit, or undefined for a missing branch. */
  private async head(branch: string): Promise<string | undefined> {
    const { repository, apiUrl, token } = this.deps.github;
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    };
    if (token) headers.authorization = `Bearer ${interpolate(token, this.deps.env)}`;
    const url = `${apiUrl.replace(/\/+$/, '')}/repos/${repository}/branches/${encodeURIComponent(branch)}`;
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
    if (response.status === 404) return undefined;
    if (!response.ok)
      throw new Error(`GitHub answered ${response.status} for branch ${branch} of ${repository}`);
    const body = (await response.json()) as { commit?: { sha?: unknown } };
    return typeof body.commit?.sha === 'string' && /^[0-9a-f]{40}$/.test(body.commit.sha)
      ? body.commit.sha
      : undefined;
  }
}
