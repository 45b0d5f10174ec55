/** Pushes as GitHub sends them: a JSON push payload, signed, with a delivery id. */
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';

export function pushPayload(branch: string, sha: string, message = 'a change') {
  return {
    ref: `refs/heads/${branch}`,
    before: `${'0'.repeat(39)}1`,
    after: sha,
    created: false,
    deleted: false,
    repository: { full_name: 'hivenue/hivenue', clone_url: 'https://github.com/hivenue/hivenue.git' },
    pusher: { name: 'nassim' },
    head_commit: { id: sha, message, author: { name: 'Nassim', email: 'nassim@hivenue.example' } },
  };
}

export async function deliver(
  baseUrl: string,
  secret: string | undefined,
  payload: unknown,
  options: { event?: string; delivery?: string; body?: string; signature?: string } = {},
): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const body = options.body ?? JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': options.event ?? 'push',
    'x-github-delivery': options.delivery ?? randomUUID(),
    'user-agent': 'GitHub-Hookshot/test',
  };
  const signature = options.signature ?? (secret === undefined ? undefined : await sign(secret, body));
  if (signature) headers['x-hub-signature-256'] = signature;
  const started = performance.now();
  const response = await fetch(`${baseUrl}/webhooks/github`, { method: 'POST', headers, body });
  const ms = performance.now() - started;
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, ms };
}
