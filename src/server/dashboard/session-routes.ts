/**
 * Signing in and out. A pasted API token becomes a session cookie (HttpOnly, SameSite=Strict)
 * with its own CSRF token; the token itself never reaches the page again.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import { createSession, endSession, identify, requires, sessionCookie } from '../access.js';
import { principalOf } from '../tokens.js';
import { type LoginProblem, loginPage } from './login-page.js';
import { sendPage } from './send-page.js';

const UNKNOWN_TOKEN: LoginProblem = {
  message: 'that token is not known: make one with',
  command: 'waggle tokens create NAME --role viewer',
};
const NO_TOKEN: LoginProblem = {
  message: 'paste the token that this command printed:',
  command: 'waggle tokens create NAME --role viewer',
};

export async function sessionRoutes(
  app: FastifyInstance,
  { store, secureCookies }: { store: Store; secureCookies: boolean },
): Promise<void> {
  app.get('/login', async (request, reply) => {
    if (await identify(store, request)) return reply.redirect('/', 303);
    return sendPage(reply, loginPage());
  });

  app.post('/login', async (request, reply) => {
    const body = request.body as { token?: unknown } | undefined;
    const token = typeof body?.token === 'string' ? body.token.trim() : '';
    if (!token) return sendPage(reply, loginPage(NO_TOKEN), 400);
    const principal = await principalOf(store, token);
    if (!principal) {
      request.log.warn({ ip: request.ip }, 'dashboard sign-in refused: unknown token');
      return sendPage(reply, loginPage(UNKNOWN_TOKEN), 401);
    }
    const session = await createSession(store, principal.tokenId);
    await store.audit.record({
      actor: principal.name,
      action: 'dashboard.login',
      target: `token ${principal.name} (${principal.role})`,
      ip: request.ip,
    });
    return reply
      .header('set-cookie', sessionCookie(session.id, session.maxAgeSeconds, secureCookies))
      .redirect('/', 303);
  });

  app.post(
    '/logout',
    { preHandler: requires(store, 'read', (reply) => reply.redirect('/login', 303)) },
    async (request, reply) => {
      await endSession(store, request);
      await store.audit.record({
        actor: request.caller?.name ?? '?',
        action: 'dashboard.logout',
        ip: request.ip,
      });
      return reply.header('set-cookie', sessionCookie('', 0, secureCookies)).redirect('/login', 303);
    },
  );
}
