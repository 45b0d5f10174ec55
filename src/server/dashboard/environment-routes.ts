/** The environments page, behind a session like the runs. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import { type Caller, requires } from '../access.js';
import { type ConfiguredEnvironments, readEnvironments } from '../environments.js';
import { environmentsPage } from './environments-page.js';
import { sendPage } from './send-page.js';

export interface EnvironmentRoutesDeps {
  store: Store;
  environments: ConfiguredEnvironments;
  now?: () => number;
}

export async function environmentRoutes(
  app: FastifyInstance,
  { store, environments, now = Date.now }: EnvironmentRoutesDeps,
): Promise<void> {
  const read = requires(store, 'read', (reply) => reply.redirect('/login'));

  app.get('/environments', { preHandler: read }, async (request, reply) =>
    sendPage(
      reply,
      environmentsPage({
        viewer: request.caller as Caller,
        environments: await readEnvironments(store, environments),
        now: now(),
      }),
    ),
  );
}
