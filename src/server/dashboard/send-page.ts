/** Pages go out as HTML text with a status; every handler sends them the same way. */
import type { FastifyReply } from 'fastify';
import type { SafeHtml } from './html.js';

export function sendPage(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(String(page));
}
