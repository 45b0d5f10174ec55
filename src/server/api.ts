/**
 * The REST API under /api: runs, their logs (also live, as Server-Sent Events), rerun and
 * cancel, and what each environment runs. Every route needs a token; every change is written to
 * the audit log.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EventStream } from '../pipeline/event-stream.js';
import type { JobQueue } from '../pipeline/job-queue.js';
import type { RunEvent } from '../pipeline/run-recorder.js';
import { ENDED } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { requires } from './access.js';
import { type ConfiguredEnvironments, readEnvironment, readEnvironments } from './environments.js';
import { queryLimit } from './query-limit.js';
import { cancelRun, rerunRun } from './run-actions.js';

export interface ApiDeps {
  store: Store;
  queue: JobQueue;
  events: EventStream;
  /** The server's own waggle.yml environments: listed even before their first deploy. */
  environments: ConfiguredEnvironments;
}

export async function api(
  app: FastifyInstance,
  { store, queue, events, environments }: ApiDeps,
): Promise<void> {
  const read = requires(store, 'read');
  const operate = requires(store, 'operate');
  const runId = (request: FastifyRequest) => Number((request.params as { id: string }).id);

  app.get('/api/runs', { preHandler: read }, async (request) => {
    const runs = await store.runs.recent(queryLimit((request.query as { limit?: unknown }).limit));
    return runs.map(({ summary: _summary, options: _options, ...run }) => run);
  });

  app.get('/api/runs/:id', { preHandler: read }, async (request, reply) => {
    const detail = await store.runDetail(runId(request));
    return detail ?? reply.code(404).send({ error: `no run ${runId(request)}` });
  });

  app.get('/api/runs/:id/logs', { preHandler: read }, async (request, reply) => {
    const { step } = request.query as { step?: string };
    const steps = (await store.steps.ofRun(runId(request))).filter((s) => !step || s.key === step);
    if (steps.length === 0)
      return reply.code(404).send({ error: `no run ${runId(request)} or no step ${step}` });
    const lines = [];
    for (const s of steps) {
      for (const line of await store.logs.ofStep(s.id))
        lines.push({ step: s.key, seq: line.seq, stream: line.stream, line: line.line });
    }
    return lines;
  });

  // Live: what is already stored, then each new line and step change as it happens, until the run ends.
  app.get('/api/runs/:id/events', { preHandler: read }, async (request, reply) => {
    const id = runId(request);
    const run = await store.runs.get(id);
    if (!run) return reply.code(404).send({ error: `no run ${id}` });
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const send = (event: string, data: unknown) =>
      out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const buffered: RunEvent[] = [];
    let live = false;
    const lastSeq = new Map<string, number>();
    const forward = (event: RunEvent) => {
      if (event.type === 'step.log') {
        if ((lastSeq.get(event.key) ?? 0) >= event.seq) return;
        lastSeq.set(event.key, event.seq);
        send('log', { step: event.key, seq: event.seq, stream: event.stream, line: event.line });
      } else if (event.type === 'step.started') send('step', { step: event.key, status: 'running' });
      else if (event.type === 'step.finished')
        send('step', {
          step: event.key,
          status: event.status,
          detail: event.detail,
          durationMs: event.durationMs,
        });
      else if (event.type === 'run.finished') finish(event.summary.status);
      else if (event.type === 'run.ended') finish(event.status);
    };
    const listener = (event: RunEvent) => {
      if (event.runId !== id) return;
      if (live) forward(event);
      else buffered.push(event);
    };
    const finish = (status: string) => {
      send('end', { status });
      unsubscribe();
      out.end();
    };
    const unsubscribe = events.subscribe(listener);
    request.raw.on('close', unsubscribe);
    for (const step of await store.steps.ofRun(id)) {
      send('step', {
        step: step.key,
        status: step.status,
        detail: step.detail,
        durationMs: step.duration_ms,
      });
      for (const line of await store.logs.ofStep(step.id)) {
        lastSeq.set(step.key, line.seq);
        send('log', { step: step.key, seq: line.seq, stream: line.stream, line: line.line });
      }
    }
    live = true;
    for (const event of buffered.splice(0)) forward(event);
    const now = await store.runs.get(id);
    if (now && ENDED.includes(now.status) && !out.writableEnded) finish(now.status);
  });

  const actor = (request: FastifyRequest) => ({ name: request.caller?.name ?? '?', ip: request.ip });

  app.post('/api/runs/:id/rerun', { preHandler: operate }, async (request, reply) => {
    const run = await store.runs.get(runId(request));
    if (!run) return reply.code(404).send({ error: `no run ${runId(request)}` });
    return reply.code(202).send({ run: await rerunRun(store, queue, run, actor(request)) });
  });

  app.post('/api/runs/:id/cancel', { preHandler: operate }, async (request, reply) => {
    const id = runId(request);
    if (!(await store.runs.get(id))) return reply.code(404).send({ error: `no run ${id}` });
    const cancelled = await cancelRun(store, queue, id, actor(request));
    return reply
      .code(cancelled ? 202 : 409)
      .send(cancelled ? { cancelled: id } : { error: `run ${id} has already ended` });
  });

  app.get('/api/environments', { preHandler: read }, async () => readEnvironments(store, environments));

  app.get('/api/environments/:name', { preHandler: read }, async (request, reply) => {
    const { name } = request.params as { name: string };
    const environment = await readEnvironment(store, environments, name);
    return environment ?? reply.code(404).send({ error: `no environment ${name}` });
  });

  app.get('/api/audit', { preHandler: requires(store, 'admin') }, async () => store.audit.recent(500));
}
