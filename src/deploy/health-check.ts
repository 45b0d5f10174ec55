/**
 * Is a service answering? An HTTP GET made on the host itself (through its transport, so it
 * works over SSH and behind firewalls), retried until it answers 2xx or the time is up. What a
 * failing service answered is kept, to be shown.
 */
import type { Transport } from './transport.js';

export interface HealthCheck {
  url: string;
  /** Host header to send, for services that route by it. */
  hostHeader?: string;
  /** Each request's limit. */
  timeoutMs: number;
  /** How long to keep trying before it counts as failed. */
  withinMs: number;
  intervalMs: number;
}

export interface HealthAnswer {
  ok: boolean;
  /** HTTP status, or undefined when nothing answered. */
  status?: number;
  /** The start of the body, or why nothing answered. */
  body: string;
  attempts: number;
}

/** A fixed program; the URL and header come in as arguments, never as code. */
const PROBE = `
const [url, host, timeout] = process.argv.slice(1);
const headers = host ? { host } : {};
fetch(url, { headers, signal: AbortSignal.timeout(Number(timeout)), redirect: 'manual' })
  .then(async (r) => console.log(JSON.stringify({ status: r.status, body: (await r.text()).slice(0, 2000) })))
  .catch((e) => console.log(JSON.stringify({ body: String(e.cause?.code ?? e.cause?.message ?? e.message) })));
`;

export async function checkHealth(
  transport: Transport,
  check: HealthCheck,
  signal?: AbortSignal,
  sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<HealthAnswer> {
  const deadline = Date.now() + check.withinMs;
  let last: HealthAnswer = { ok: false, body: 'not checked', attempts: 0 };
  for (let attempt = 1; ; attempt++) {
    const result = await transport.run(
      ['node', '-e', PROBE, check.url, check.hostHeader ?? '', String(check.timeoutMs)],
      {
        timeoutMs: check.timeoutMs + 10_000,
        signal,
      },
    );
    let answer: { status?: number; body: string };
    try {
      answer = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '');
    } catch {
      answer = {
        body: (result.stderr || result.stdout).trim().slice(0, 2000) || 'the probe printed nothing',
      };
    }
    const ok = answer.status !== undefined && answer.status >= 200 && answer.status < 300;
    last = { ok, status: answer.status, body: answer.body, attempts: attempt };
    if (ok || signal?.aborted || Date.now() + check.intervalMs > deadline) return last;
    await sleep(check.intervalMs);
  }
}
