/**
 * Who is asking and may they: a bearer token (API, CLI) or a dashboard session cookie. Sessions
 * carry a CSRF token that every form post must echo, so another site cannot post as the user.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/store.js';
import { can, type Permission, type Principal, principalOf } from './tokens.js';

export const SESSION_COOKIE = 'waggle_session';
const SESSION_HOURS = 12;

export interface Caller extends Principal {
  /** Set when the caller came with a session cookie rather than a bearer token. */
  csrf?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

export async function identify(store: Store, request: FastifyRequest): Promise<Caller | undefined> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return principalOf(store, header.slice('Bearer '.length).trim());
  const sessionId = cookies(request)[SESSION_COOKIE];
  if (!sessionId) return undefined;
  const session = await store.sessions.live(sessionId, Date.now());
  if (!session) return undefined;
  return { tokenId: session.tokenId, name: session.name, role: session.role, csrf: session.csrf };
}

/** A preHandler: 401 without a caller, 403 without the permission or, for a form post, the CSRF token. */
export function requires(
  store: Store,
  permission: Permission,
  onMissing?: (reply: FastifyReply) => FastifyReply,
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = await identify(store, request);
    if (!caller) {
      if (onMissing) return onMissing(reply);
      return reply.code(401).send({
        error: 'sign in: send "Authorization: Bearer <token>" (make one with "waggle tokens create")',
      });
    }
    if (!can(caller.role, permission)) {
      return reply.code(403).send({ error: `a ${caller.role} token cannot ${permission}` });
    }
    if (caller.csrf !== undefined && request.method !== 'GET' && !csrfMatches(request, caller.csrf)) {
      return reply.code(403).send({ error: 'missing or wrong CSRF token: reload the page and try again' });
    }
    request.caller = caller;
  };
}

export async function createSession(
  store: Store,
  tokenId: number,
): Promise<{ id: string; maxAgeSeconds: number }> {
  const id = randomBytes(24).toString('base64url');
  const now = Date.now();
  await store.sessions.removeExpired(now);
  await store.sessions.create({
    id,
    tokenId,
    csrf: randomBytes(24).toString('base64url'),
    createdAt: now,
    expiresAt: now + SESSION_HOURS * 3_600_000,
  });
  return { id, maxAgeSeconds: SESSION_HOURS * 3600 };
}

export async function endSession(store: Store, request: FastifyRequest): Promise<void> {
  const sessionId = cookies(request)[SESSION_COOKIE];
  if (sessionId) await store.sessions.remove(sessionId);
}

export function sessionCookie(id: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

function csrfMatches(request: FastifyRequest, expected: string): boolean {
  const body = request.body as Record<string, unknown> | undefined;
  const given = request.headers['x-csrf-token'] ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function cookies(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) out[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
  }
  return out;
}
