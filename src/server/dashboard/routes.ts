/**
 * The dashboard: server-rendered pages over the same store and queue as the API. Its live log
 * reads the API's event stream with the session cookie. Form bodies, security headers and HTML
 * error pages apply to these routes only (a Fastify plugin scope), not to the API or webhooks.
 */
import formBody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api.js';
import { environmentRoutes } from './environment-routes.js';
import { errorPage } from './error-page.js';
import { runRoutes } from './run-routes.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { sessionRoutes } from './session-routes.js';

/** The API's dependencies; the live log needs no events of its own (it uses /api/runs/:id/events). */
export type DashboardDeps = ApiDeps & {
  now?: () => number;
  /** Mark the session cookie Secure: the dashboard is reached over https (server.publicUrl). */
  secureCookies?: boolean;
};

export async function dashboard(
  app: FastifyInstance,
  { store, queue, environments, now, secureCookies }: DashboardDeps,
): Promise<void> {
  await app.register(formBody);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return asErrorPage(request, reply, payload) ?? payload;
  });
  // Browsers ask for one on every page; an empty answer keeps a 404 out of their consoles.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  await app.register(sessionRoutes, { store, secureCookies: secureCookies === true });
  await app.register(runRoutes, { store, queue, now });
  await app.register(environmentRoutes, { store, environments, now });
}

/**
 * The shared guards (`requires`) answer JSON; a browser that posted a form gets the same refusal
 * as a page with a next step instead.
 */
function asErrorPage(request: FastifyRequest, reply: FastifyReply, payload: unknown): string | undefined {
  const json = String(reply.getHeader('content-type') ?? '').startsWith('application/json');
  if (reply.statusCode < 400 || !json || typeof payload !== 'string') return undefined;
  if (!request.headers.accept?.includes('text/html')) return undefined;
  let message: unknown;
  try {
    message = (JSON.parse(payload) as { error?: unknown }).error;
  } catch {
    return undefined;
  }
  if (typeof message !== 'string') return undefined;
  reply.type('text/html; charset=utf-8');
  return String(errorPage({ status: reply.statusCode, message }));
}
