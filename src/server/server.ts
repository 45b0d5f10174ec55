/**
 * `waggle serve` as one process: the GitHub webhook receiver, the API, the dashboard and the
 * worker running the queue, over one store.
 */

import { dirname, relative } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import { parseConfig } from '../config/load.js';
import { refuseOversized } from '../config/read.js';
import type { Config } from '../config/schema.js';
import { secretValues } from '../config/secrets.js';
import { parseDuration } from '../config/units.js';
import { deployAfterCi } from '../deploy/deploy-after-ci.js';
import { DEPLOY_KIND, deployKind } from '../deploy/deploy-job.js';
import { Redactor } from '../exec/redact.js';
import { RunNotifications } from '../notify/run-notifications.js';
import { RunNotifier } from '../notify/run-notifier.js';
import { EventStream } from '../pipeline/event-stream.js';
import type { JobKind } from '../pipeline/job-kind.js';
import { JobQueue } from '../pipeline/job-queue.js';
import type { LeaseTiming } from '../pipeline/lease-keeper.js';
import type { RunEvent } from '../pipeline/run-recorder.js';
import type { Store } from '../store/store.js';
import { CommitSnapshot } from '../workspace/commit-snapshot.js';
import { gitRoot } from '../workspace/git.js';
import { api } from './api.js';
import { BranchPoller } from './branch-poller.js';
import { dashboard } from './dashboard/routes.js';
import { githubWebhook } from './github-webhook.js';
import { Mirror } from './mirror.js';

export interface ServerOptions {
  store: Store;
  home: string;
  config: Config;
  configFile: string;
  webhookSecret: string;
  env?: NodeJS.ProcessEnv;
  /** Log requests and decisions (pino, JSON lines on stdout). */
  logger?: boolean;
  concurrency?: number;
  /** Retries of notification deliveries (tests make them quick). */
  notifyRetry?: { attempts: number; baseDelayMs: number };
  /** How long a run's lease lasts and how often it is renewed (tests make them quick). */
  lease?: LeaseTiming;
  /** Time for leases and the queue (tests can move it by hand). */
  clock?: Clock;
  /** Kinds of job beyond CI runs, by name. */
  kinds?: Readonly<Record<string, JobKind>>;
}

export interface WaggleServer {
  app: FastifyInstance;
  queue: JobQueue;
  mirror: Mirror;
  /** Every run event as it happens, for live views. */
  events: EventStream;
  /** Every route the server answers, as registered: what access checks are tested against. */
  routes: readonly { method: string; url: string }[];
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export async function createServer(options: ServerOptions): Promise<WaggleServer> {
  const { store, config, configFile } = options;
  const env = options.env ?? process.env;
  const checkout = gitRoot(dirname(configFile));
  const source = config.server.repository ?? checkout;
  if (!source)
    throw new Error(`${configFile} is not in a git repository; set server.repository to the clone URL`);
  // waggle.yml's place in the repository: beside the checkout's config, or the root of a remote.
  const configPath = config.server.repository || !checkout ? 'waggle.yml' : relative(checkout, configFile);
  const redactor = new Redactor().add(...secretValues(config, env), options.webhookSecret);
  const mirror = new Mirror(source, options.home, redactor);

  const notifier = new RunNotifier({
    store,
    config,
    env,
    repository: config.github?.repository ?? redactor.redact(source),
    retry: options.notifyRetry,
  });
  // Fastify's 1 MB body limit everywhere but the webhook (whose parser allows GitHub's 25 MB), and
  // a request that dribbles in for over a minute is dropped rather than holding a body turn.
  const app = Fastify({ logger: options.logger ?? false, requestTimeout: 60_000 });
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  // Run events go to the live views (API and dashboard) and to the contacts.
  const notifications = new RunNotifications(store, notifier, (message) => app.log.warn(message));
  const events = new EventStream((error) => app.log.error({ err: error }, 'an event subscriber failed'));
  events.subscribe(notifications.onEvent);
  const publish = (event: RunEvent) => events.publish(event);
  const queue = new JobQueue({
    store,
    home: options.home,
    env,
    concurrency: options.concurrency,
    workers: config.server.workers,
    lease: options.lease,
    clock: options.clock,
    kinds: {
      // Deploys run under the server's own waggle.yml: hosts and secrets are not a push's to choose.
      [DEPLOY_KIND]: deployKind({
        store,
        home: options.home,
        config,
        configDir: dirname(configFile),
        env,
        actor: 'waggle server',
        onEvent: publish,
      }),
      ...options.kinds,
    },
    loadCommit: async (run, signal) => {
      await mirror.update(run.sha, signal);
      // A commit runs under its own waggle.yml; one without it, under the server's.
      const snapshot = await CommitSnapshot.read(mirror.path, run.sha);
      let own = config;
      if (snapshot.objectId(configPath)) {
        // A pushed config is untrusted: its size is checked before it is read.
        refuseOversized(await snapshot.size(configPath), configPath);
        own = parseConfig(await snapshot.readFile(configPath), configPath);
      }
      return { config: own, configDir: dirname(configPath).replace(/^\.$/, '') };
    },
    onEvent: publish,
    log: (message) => app.log.info(message),
  });
  events.subscribe(
    deployAfterCi({
      store,
      config,
      queued: (runId) => queue.queued(runId),
      log: (message) => app.log.info(message),
    }),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.register(githubWebhook, {
    store,
    secret: options.webhookSecret,
    watchedBranches: config.trigger.branches,
    repo: mirror.path,
    onQueued: (runId) => {
      queue.queued(runId).catch((error) => app.log.error({ err: error, runId }, 'could not queue run'));
    },
  });

  await app.register(api, { store, queue, events, environments: config.environments });
  await app.register(dashboard, {
    store,
    queue,
    events,
    environments: config.environments,
    secureCookies: config.server.publicUrl?.startsWith('https://') === true,
  });
  const pollMs = parseDuration(config.server.poll);
  const poller =
    config.github && pollMs > 0
      ? new BranchPoller({
          store,
          mirror,
          github: config.github,
          branches: config.trigger.branches,
          intervalMs: pollMs,
          env,
          onQueued: (runId) => {
            queue.queued(runId).catch((error) => app.log.error({ err: error, runId }, 'could not queue run'));
          },
          log: (message) => app.log.info(message),
        })
      : undefined;

  return {
    app,
    routes,
    queue,
    mirror,
    events,
    async listen(port, host) {
      await queue.start();
      const url = await app.listen({ port, host });
      poller?.start();
      return url;
    },
    async close() {
      await poller?.stop();
      await app.close();
      await queue.stop();
      await notifications.drain();
    },
  };
}
