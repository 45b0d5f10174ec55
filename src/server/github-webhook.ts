/**
 * POST /webhooks/github: verify the signature over the raw bytes, store the delivery (and the run
 * it queues) before answering, answer 202 in milliseconds, and let the queue do the work.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/store.js';
import { largeBodiesInTurn, Turns } from './body-gate.js';
import { nestsDeeperThan } from './json-depth.js';
import { decidePush } from './push-event.js';

export const GITHUB_BODY_LIMIT = 25 * 1024 * 1024; // GitHub caps payloads at 25 MB
/** GitHub's payloads nest a handful of levels; anything near this is an attack on the stack. */
export const MAX_JSON_DEPTH = 64;
/** Bodies above this are read a few at a time, so a burst of them cannot exhaust memory. */
const LARGE_BODY = 1024 * 1024;
const LARGE_BODIES_AT_ONCE = 4;
const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

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

  const refuse = (request: FastifyRequest, reply: FastifyReply) => {
    request.log.warn(
      { delivery: request.headers['x-github-delivery'], ip: request.ip },
      'webhook refused: missing or wrong X-Hub-Signature-256 (check that WAGGLE_WEBHOOK_SECRET matches the GitHub webhook secret)',
    );
    return reply.code(401).send({ error: 'bad signature' });
  };
  const turns = new Turns(LARGE_BODIES_AT_ONCE);

  app.post(
    '/webhooks/github',
    {
      // A request that cannot be signed is refused from its headers, before its body is read.
      onRequest: async (request, reply) => {
        if (!SIGNATURE.test(String(request.headers['x-hub-signature-256'] ?? '')))
          return refuse(request, reply);
      },
      preParsing: largeBodiesInTurn(turns, LARGE_BODY),
    },
    async (request, reply) => {
      const body = request.body as Buffer;
      if (!signedBy(deps.secret, body, String(request.headers['x-hub-signature-256'])))
        return refuse(request, reply);
      // JSON.parse copes with any depth, but stringifying or walking the value recurses.
      if (nestsDeeperThan(body, MAX_JSON_DEPTH))
        return reply.code(400).send({ error: 'body is nested too deeply' });
      const text = body.toString('utf8');
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        return reply.code(400).send({ error: 'body is not JSON' });
      }
      const event = String(request.headers['x-github-event'] ?? '');
      const deliveryId = String(request.headers['x-github-delivery'] ?? '');
      if (event === 'ping')
        return reply.code(200).send({ ok: true, zen: (payload as { zen?: string } | null)?.zen ?? null });
      if (!deliveryId) return reply.code(400).send({ error: 'no X-GitHub-Delivery header' });

      const decision =
        event === 'push'
          ? decidePush(payload, deps.watchedBranches)
          : { ignore: `${event || 'unnamed'} events are not handled` };
      const stored = deps.store.deliveries.record(
        {
          id: deliveryId,
          event,
          reason: 'ignore' in decision ? decision.ignore : null,
          payload: text, // as received: it parsed, and it is what GitHub signed
        },
        'run' in decision
          ? {
              repo: deps.repo,
              branch: decision.run.branch,
              sha: decision.run.sha,
              author: decision.run.author,
              message: decision.run.message,
              trigger: 'push',
            }
          : undefined,
      );
      if (stored.duplicate) return reply.code(202).send({ duplicate: true, run: stored.runId });
      if ('ignore' in decision) return reply.code(202).send({ ignored: decision.ignore });
      deps.onQueued(stored.runId as number);
      return reply.code(202).send({ run: stored.runId });
    },
  );
}

/**
 * GitHub's X-Hub-Signature-256 checked over the bytes as received, in constant time. Not
 * @octokit/webhooks-methods' verify: it takes a string, so every forged 25 MB body would first be
 * decoded into one (and encoded again to hash it) before it could be refused.
 */
function signedBy(secret: string, body: Buffer, header: string): boolean {
  const hex = SIGNATURE.exec(header)?.[1];
  if (!secret || !hex) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}
