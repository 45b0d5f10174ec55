/**
 * A GitHub `push` payload reduced to what a run needs, or the reason it starts none (another
 * branch, a tag, a deletion). Pure: the webhook route decides, this only reads.
 */
export interface Push {
  branch: string;
  sha: string;
  before: string;
  author: string;
  message: string;
  repository: string;
}

export type PushDecision = { run: Push } | { ignore: string };

const ZERO_SHA = /^0+$/;

interface PushPayload {
  ref?: unknown;
  after?: unknown;
  before?: unknown;
  deleted?: unknown;
  head_commit?: { message?: unknown; author?: { name?: unknown } } | null;
  pusher?: { name?: unknown };
  repository?: { full_name?: unknown };
}

export function decidePush(payload: unknown, watchedBranches: readonly string[]): PushDecision {
  const push = (payload ?? {}) as PushPayload;
  if (typeof push.ref !== 'string' || typeof push.after !== 'string')
    return { ignore: 'not a push payload (no ref or after)' };
  if (push.ref.startsWith('refs/tags/'))
    return { ignore: `tag ${push.ref.slice('refs/tags/'.length)}: tags do not start runs` };
  if (!push.ref.startsWith('refs/heads/')) return { ignore: `ref ${push.ref} is not a branch` };
  const branch = push.ref.slice('refs/heads/'.length);
  if (push.deleted === true || ZERO_SHA.test(push.after)) return { ignore: `branch ${branch} was deleted` };
  if (!/^[0-9a-f]{40}$/.test(push.after)) return { ignore: 'after is not a commit id' };
  if (!watchedBranches.includes(branch))
    return { ignore: `branch ${branch} is not watched (trigger.branches: ${watchedBranches.join(', ')})` };
  return {
    run: {
      branch,
      sha: push.after,
      before: typeof push.before === 'string' ? push.before : '',
      author: String(push.head_commit?.author?.name ?? push.pusher?.name ?? 'unknown'),
      message: String(push.head_commit?.message ?? ''),
      repository: String(push.repository?.full_name ?? ''),
    },
  };
}
