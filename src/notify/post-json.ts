/**
 * One JSON POST for the HTTP channels. Errors name the service and the status, never the URL:
 * a chat webhook URL is itself the credential.
 */
import { DeliveryError, type DeliveryResult } from './channel.js';

export interface PostOptions {
  /** Who answers, for error messages: "Slack", "GitHub". */
  service: string;
  timeoutMs: number;
  headers?: Record<string, string>;
}

/** Longest part of an error answer kept in the error: enough for Slack's "invalid_token". */
const ANSWER_CHARS = 200;

/** POSTs `body` (already serialized, so a signature can cover the exact bytes). */
export async function postJson(url: string, body: string, options: PostOptions): Promise<DeliveryResult> {
  const target = parseHttpUrl(url, options.service);
  let response: Response;
  try {
    response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'waggle', ...options.headers },
      body,
      // A redirect would turn the POST into a GET elsewhere; report it instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new DeliveryError(`${options.service}: ${networkFailure(error, options.timeoutMs)}`, {
      cause: error,
    });
  }
  const answer = await response.text().catch(() => '');
  if (response.status < 200 || response.status > 299) {
    const excerpt = answer.trim().replace(/\s+/g, ' ').slice(0, ANSWER_CHARS);
    throw new DeliveryError(
      `${options.service} answered ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
      {
        status: response.status,
        permanent: isPermanent(response.status),
        retryAfterMs: retryAfter(response.headers.get('retry-after')),
      },
    );
  }
  return { status: response.status };
}

/**
 * Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. Seconds may
 * carry a fraction ("0.5"), as some rate limiters send: read as a date, it would mean the year 2000.
 */
export function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = header.trim();
  if (/^\d+(\.\d+)?$/.test(seconds)) return Math.ceil(Number(seconds) * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseHttpUrl(url: string, service: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // The message of a URL error quotes the input, which is the secret.
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:'))
    throw new DeliveryError(`${service}: the URL is not a valid http(s) URL`, { permanent: true });
  return parsed;
}

/** 4xx means the request itself is wrong (revoked hook, bad token); only these may pass with time. */
function isPermanent(status: number): boolean {
  return status >= 300 && status < 500 && ![408, 425, 429].includes(status);
}

function networkFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs / 1000}s`;
  // fetch says "fetch failed"; the cause says why (ECONNREFUSED 127.0.0.1:9, ENOTFOUND host).
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
}
