/**
 * Headers on every dashboard response. The policy allows this origin only, and of inline code
 * exactly the dashboard's own style sheet and script, by hash: injected markup could run nothing.
 */
import { createHash } from 'node:crypto';
import { LIVE_LOG_SCRIPT } from './live-log-script.js';
import { STYLE_SHEET } from './style.js';

function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src ${hashSource(String(LIVE_LOG_SCRIPT))}`,
  `style-src ${hashSource(String(STYLE_SHEET))}`,
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  // Pages carry the session's CSRF token and private build output: keep them out of caches.
  'cache-control': 'no-store',
};
