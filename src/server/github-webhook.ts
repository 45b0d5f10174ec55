/**
 * POST /webhooks/github: verify the signature over the raw bytes, store the delivery (and the run
 * it queues) before answering, answer 202 in milliseconds, and let the queue do the work.
 */
import { verify } from '@octokit/webhooks-methods';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.js';
import { decidePush } from './push-event.js';

export const GITHUB_BODY_LIMIT = 25 * 1024 * 1024; // GitHub caps payloads at 25 MB

export interface WebhookDeps {
  store: Store;
  secret: string;
  watchedBranches: readonly string[];
  /** Where queued runs build from: the mirror's path. */
  repo: string;
  onQueued(runId: number): void;
}

export async function githubWebhook(app: FastifyInstance, deps: WebhookDeps): Promise<void> {
  // Keep the exact bytes: the signature is over them, not over re-serialised JSON.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: GITHUB_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.post('/webhooks/github', async (request, reply) => {
    const body = request.body as Buffer;
    const signature = request.headers['x-hub-signature-256'];
    const valid =
      typeof signature === 'string' &&
      (await verify(deps.secret, body.toString('utf8'), signature).catch(() => false));
    if (!valid) {
      request.log.warn(
        { delivery: request.headers['x-github-delivery'], ip: request.ip },
        'webhook refused: missing or wrong X-Hub-Signature-256 (check that WAGGLE_WEBHOOK_SECRET matches the GitHub webhook secret)',
      );
      return reply.code(401).send({ error: 'bad signature' });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return reply.code(400).send({ error: 'body is not JSON' });
    }
    const event = String(request.headers['x-github-event'] ?? '');
    const deliveryId = String(request.headers['x-github-delivery'] ?? '');
    if (event === 'ping')
      return reply.code(200).send({ ok: true, zen: (payload as { zen?: string }).zen ?? null });
    if (!deliveryId) return reply.code(400).send({ error: 'no X-GitHub-Delivery header' });

    const decision =
      event === 'push'
        ? decidePush(payload, deps.watchedBranches)
        : { ignore: `${event || 'unnamed'} events are not handled` };
    const stored = deps.store.recordDelivery(
      {
        id: deliveryId,
        event,
        reason: 'ignore' in decision ? decision.ignore : null,
        payload: JSON.stringify(payload),
      },
      'run' in decision
        ? {
            repo: deps.repo,
            branch: decision.run.branch,
            sha: decision.run.sha,
            base_sha: null,
            author: decision.run.author,
            message: decision.run.message,
            trigger: 'push',
            options: null,
            delivery_id: deliveryId,
            retry_of: null,
          }
        : undefined,
    );
    if (stored.duplicate) return reply.code(202).send({ duplicate: true, run: stored.runId });
    if ('ignore' in decision) return reply.code(202).send({ ignored: decision.ignore });
    deps.onQueued(stored.runId as number);
    return reply.code(202).send({ run: stored.runId });
  });
}
