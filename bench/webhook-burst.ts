/**
 * A burst of GitHub deliveries at `waggle serve`: 1,000 in 10 s over loopback, 10% replayed
 * delivery ids and 5% forged signatures, sent open-loop (one every 10 ms, whatever the answers).
 * Baseline, in the same run: the same requests at a plain Fastify route that does nothing.
 * Goals: 0 lost, 0 duplicated runs, 0 forged accepted, p99 acknowledgement under 50 ms.
 *
 *   npx tsx bench/webhook-burst.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { Store } from '../src/store/store.js';
import { git } from '../src/workspace/git.js';
import { pushPayload } from '../test/helpers/github.js';
import { FIXTURES, repoFrom } from '../test/helpers/repo.js';
import { startServe } from '../test/helpers/serve.js';

const TOTAL = 1_000;
const SPACING_MS = 10;
const SECRET = 'burst-secret';

interface Delivery {
  id: string;
  body: string;
  signature: string;
  kind: 'new' | 'replay' | 'forged';
}
interface Result {
  delivery: Delivery;
  status: number;
  ms: number;
}

const repo = repoFrom(join(FIXTURES, 'mini'));
const sha = git(repo, ['rev-parse', 'HEAD']);
const deliveries = await plan();

const baseline = await startBaseline();
const baselineResults = await burst(`${baseline.url}/webhooks/github`, deliveries);
baseline.child.kill('SIGTERM');

const home = mkdtempSync(join(tmpdir(), 'bench-burst-'));
const waggle = await startServe([], { cwd: repo, env: { WAGGLE_HOME: home, WAGGLE_WEBHOOK_SECRET: SECRET } });
const results = await burst(`${waggle.url}/webhooks/github`, deliveries);
waggle.child.kill('SIGTERM');
await new Promise((resolve) => waggle.child.once('exit', resolve));

const store = Store.open(home);
const stored = new Set((await store.deliveries.recent(TOTAL)).map((row) => row.id));
const runsPerDelivery = new Map<string, number>();
// Every run, retries included: a run is retried at most once.
for (const run of await store.runs.recent(2 * TOTAL)) {
  if (run.delivery_id !== null && run.retry_of === null)
    runsPerDelivery.set(run.delivery_id, (runsPerDelivery.get(run.delivery_id) ?? 0) + 1);
}
await store.close();

const unique = deliveries.filter((d) => d.kind === 'new');
const forged = deliveries.filter((d) => d.kind === 'forged');
const lost = unique.filter((d) => !stored.has(d.id)).length;
const duplicated = [...runsPerDelivery.values()].filter((runs) => runs > 1).length;
const forgedAccepted =
  forged.filter((d) => stored.has(d.id)).length +
  results.filter((r) => r.delivery.kind === 'forged' && r.status < 400).length;
const wrongAnswers = results.filter((r) => r.status !== (r.delivery.kind === 'forged' ? 401 : 202)).length;

console.log(
  `webhook-burst: ${TOTAL} deliveries in ${(TOTAL * SPACING_MS) / 1000} s (${unique.length} new, ${TOTAL - unique.length - forged.length} replayed, ${forged.length} forged)`,
);
console.log(
  `lost ${lost}, duplicated runs ${duplicated}, forged accepted ${forgedAccepted}, unexpected status codes ${wrongAnswers}`,
);
console.log('acknowledgement latency (ms)        p50     p95     p99     max');
console.log(latencyRow('plain Fastify route (baseline)', baselineResults));
console.log(latencyRow('waggle serve /webhooks/github', results));
const p99 = percentile(
  results.map((r) => r.ms),
  0.99,
);
console.log(
  `p99 ${p99.toFixed(1)} ms (goal < 50), ${(
    p99 /
      percentile(
        baselineResults.map((r) => r.ms),
        0.99,
      )
  ).toFixed(2)}x the baseline's`,
);

async function plan(): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const earlier = out.filter((d) => d.kind === 'new');
    if (i % 20 === 7) {
      const body = JSON.stringify(pushPayload('main', sha, `forged ${i}`));
      out.push({ id: randomUUID(), body, signature: await sign('not-the-secret', body), kind: 'forged' });
    } else if (i % 10 === 3 && earlier.length > 0) {
      out.push({ ...(earlier[(i * 7) % earlier.length] as Delivery), kind: 'replay' });
    } else {
      const body = JSON.stringify(pushPayload('main', sha, `push ${i}`));
      out.push({ id: randomUUID(), body, signature: await sign(SECRET, body), kind: 'new' });
    }
  }
  return out;
}

async function burst(url: string, planned: Delivery[]): Promise<Result[]> {
  const started = performance.now();
  const pending = planned.map(async (delivery, i) => {
    const due = started + i * SPACING_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const sent = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': delivery.id,
        'x-hub-signature-256': delivery.signature,
      },
      body: delivery.body,
    });
    await response.arrayBuffer();
    return { delivery, status: response.status, ms: performance.now() - sent };
  });
  return Promise.all(pending);
}

/** A Fastify route that answers 202 and does nothing else, in its own process like waggle's. */
async function startBaseline(): Promise<{ child: ChildProcess; url: string }> {
  const script = `import Fastify from 'fastify';
const app = Fastify();
app.post('/webhooks/github', async (_request, reply) => reply.code(202).send({ ok: true }));
console.log(await app.listen({ port: 0, host: '127.0.0.1' }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url).pathname,
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`baseline server exited with ${code}`)));
  });
  return { child, url };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function latencyRow(label: string, rows: Result[]): string {
  const ms = rows.map((r) => r.ms);
  const cell = (value: number) => value.toFixed(1).padStart(7);
  return `${label.padEnd(34)}${cell(percentile(ms, 0.5))} ${cell(percentile(ms, 0.95))} ${cell(percentile(ms, 0.99))} ${cell(Math.max(...ms))}`;
}
