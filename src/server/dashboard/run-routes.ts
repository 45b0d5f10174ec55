/** The pages behind a session: the runs list, a run, and its Rerun and Cancel buttons. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEPLOY_KIND } from '../../deploy/deploy-job.js';
import type { JobQueue } from '../../pipeline/job-queue.js';
import type { Store } from '../../store/store.js';
import { type Caller, requires } from '../access.js';
import { deployTargetOf } from '../environments.js';
import { cancelRun, rerunRun } from '../run-actions.js';
import { errorPage } from './error-page.js';
import { runPage } from './run-page.js';
import { runsPage } from './runs-page.js';
import { sendPage } from './send-page.js';

const RUNS_SHOWN = 100;

export interface RunRoutesDeps {
  store: Store;
  queue: JobQueue;
  now?: () => number;
}

export async function runRoutes(app: FastifyInstance, { store, queue, now = Date.now }: RunRoutesDeps) {
  const toLogin = (reply: FastifyReply) => reply.redirect('/login');
  const read = requires(store, 'read', toLogin);
  const operate = requires(store, 'operate', toLogin);
  const runId = (request: FastifyRequest) => Number((request.params as { id: string }).id);
  const caller = (request: FastifyRequest) => request.caller as Caller;
  const actor = (request: FastifyRequest) => ({ name: caller(request).name, ip: request.ip });
  const noRun = (request: FastifyRequest, reply: FastifyReply) =>
    sendPage(
      reply,
      errorPage({ status: 404, message: `There is no run ${runId(request)}.`, viewer: caller(request) }),
      404,
    );

  app.get('/', { preHandler: read }, async (request, reply) =>
    sendPage(
      reply,
      runsPage({ viewer: caller(request), runs: await store.runs.recent(RUNS_SHOWN), now: now() }),
    ),
  );

  app.get('/runs/:id', { preHandler: read }, async (request, reply) => {
    const detail = Number.isSafeInteger(runId(request)) ? await store.runDetail(runId(request)) : undefined;
    if (!detail) return noRun(request, reply);
    // The detail leaves out a run's options; a deploy job's say where it goes.
    const run = detail.run.kind === DEPLOY_KIND ? await store.runs.get(detail.run.id) : undefined;
    const deploy = run ? deployTargetOf(run) : undefined;
    return sendPage(reply, runPage({ viewer: caller(request), detail, deploy, now: now() }));
  });

  // Answers are 303 See Other, so the browser follows with a GET and a reload does not post again.
  app.post('/runs/:id/rerun', { preHandler: operate }, async (request, reply) => {
    const run = await store.runs.get(runId(request));
    if (!run) return noRun(request, reply);
    const rerun = await rerunRun(store, queue, run, actor(request));
    return reply.redirect(`/runs/${rerun}`, 303);
  });

  app.post('/runs/:id/cancel', { preHandler: operate }, async (request, reply) => {
    const run = await store.runs.get(runId(request));
    if (!run) return noRun(request, reply);
    // Already ended is no error here: the run's page, where this lands, shows how it ended.
    await cancelRun(store, queue, run.id, actor(request));
    return reply.redirect(`/runs/${run.id}`, 303);
  });
}
