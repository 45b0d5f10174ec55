/**
 * Hostile input on a real server and port: bodies nested to overflow a recursive walk, list
 * limits out of range, and a burst of large bodies that must not all be held in memory at once.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/store.js';
import { deliver, pushPayload } from './helpers/github.js';
import { FIXTURES, repoFrom } from './helpers/repo.js';
import { startServe } from './helpers/serve.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const SECRET = 'bad-input-secret';
const MB = 1024 * 1024;

/**
 * POSTs the body and returns the status the server answered, even when it answers and hangs up
 * before the body is all sent: over a plain socket, whose received bytes survive a failed write
 * (an HTTP client drops the answer when its write fails first).
 */
function postWebhook(baseUrl: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  const head = Object.entries({
    host: `${hostname}:${port}`,
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-github-event': 'push',
    'x-github-delivery': crypto.randomUUID(),
    connection: 'close',
    ...headers,
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST /webhooks/github HTTP/1.1\r\n${head}\r\n`);
      socket.end(body);
    });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(received);
      if (status) {
        resolve(Number(status[1]));
        socket.destroy();
      }
    });
    // A write cut short by the server's hang-up is expected; only an answer that never came is not.
    socket.on('error', () => {});
    socket.on('close', () =>
      reject(new Error(`no answer from the server; got ${JSON.stringify(received.slice(0, 80))}`)),
    );
  });
}

function answerWithoutBody(baseUrl: string, length: number, signature: string | undefined): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        hostname,
        port,
        path: '/webhooks/github',
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(length),
          'x-github-event': 'push',
          'x-github-delivery': crypto.randomUUID(),
          ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
        },
      },
      (response) => {
        resolve(response.statusCode ?? 0);
        request.destroy();
      },
    );
    request.on('error', reject);
    request.write('{"ref": "refs/heads/main", "padding": "');
  });
}

/** How far a process's resident memory peaks above where it was while `work` runs (Linux). */
async function peakRssGrowth(pid: number, work: () => Promise<unknown>): Promise<number> {
  const status = (field: string) => {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1]) * 1024;
  };
  writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets the peak (VmHWM) to the current RSS
  const before = status('VmRSS');
  await work();
  return status('VmHWM') - before;
}

describe('hostile input', () => {
  let store: Store;
  let started: TestServer;
  let url: string;
  let viewer: string;
  let repo: string;
  const runs = () => store.runs.recent(1_000);
  const deliveries = () => store.deliveries.recent(1_000);
  /** The ids of every run and delivery stored so far: what a refused request must leave as it is. */
  const stored = async () => ({
    runs: (await runs()).map((run) => run.id),
    deliveries: (await deliveries()).map((delivery) => delivery.id),
  });

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mini'));
    started = await startTestServer(repo, SECRET);
    ({ store, url } = started);
    viewer = await store.tokens.issue('viewer-1', 'viewer');
  });
  afterAll(async () => {
    await started?.close();
  });

  describe('a signed body nested deeper than any GitHub payload', () => {
    it('answers 400 and stores nothing', async () => {
      const before = await stored();
      const depth = 100_000;
      const body = '['.repeat(depth) + ']'.repeat(depth);
      const response = await deliver(url, SECRET, null, { body, delivery: 'deep-delivery' });
      expect(response).toMatchObject({ status: 400, body: { error: 'body is nested too deeply' } });
      const object = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      expect((await deliver(url, SECRET, null, { body: object })).status).toBe(400);
      expect(await stored()).toEqual(before);
    });

    it('counts brackets inside strings as text, and stores the payload as received', async () => {
      const payload = pushPayload('feature/x', 'a'.repeat(40), `${'[{'.repeat(5000)} "\\"[[[`);
      const body = JSON.stringify(payload, null, 2);
      const response = await deliver(url, SECRET, payload, { body, delivery: 'brackets-in-strings' });
      expect(response).toMatchObject({
        status: 202,
        body: { ignored: expect.stringContaining('not watched') },
      });
      const stored = (await deliveries()).find((delivery) => delivery.id === 'brackets-in-strings');
      expect(stored?.payload === body).toBe(true);
    });
  });

  describe('GET /api/runs?limit=', () => {
    beforeAll(async () => {
      // Created held by no worker of this server, so its queue never takes one, then passed.
      const lease = { owner: 'elsewhere', expiresAt: Date.now() + 3_600_000 };
      for (let n = 0; n < 510; n++) {
        const id = await store.runs.create(
          {
            repo: 'r',
            branch: 'main',
            sha: n.toString(16).padStart(40, '0'),
            author: 'a',
            message: `run ${n}`,
            trigger: 'push',
          },
          lease,
        );
        await store.runs.update(id, { status: 'passed' });
      }
    });
    const count = async (query: string) => {
      const response = await fetch(`${url}/api/runs${query}`, {
        headers: { authorization: `Bearer ${viewer}` },
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as unknown[]).length;
    };

    it.each([
      ['', 50],
      ['?limit=10', 10],
      ['?limit=-1', 1],
      ['?limit=0', 1],
      ['?limit=2.7', 2],
      ['?limit=abc', 50],
      ['?limit=', 50],
      ['?limit=1e9', 500],
      ['?limit=Infinity', 500],
      ['?limit=-Infinity', 1],
      ['?limit=3&limit=4', 50],
    ])('%s answers %i runs', async (query, expected) => {
      expect(await count(query)).toBe(expected);
    });
  });

  // Against `waggle serve` as its own process, so the client's memory is not counted with it.
  describe('a burst of large bodies', () => {
    const body = Buffer.alloc(24 * MB, 'x');
    const burst = async (headers: Record<string, string>) => {
      const env = {
        WAGGLE_HOME: mkdtempSync(join(tmpdir(), 'waggle-burst-')),
        WAGGLE_WEBHOOK_SECRET: SECRET,
      };
      const serve = await startServe([], { cwd: repo, env });
      const pid = serve.child.pid as number;
      try {
        let statuses: number[] = [];
        const growth = await peakRssGrowth(pid, async () => {
          statuses = await Promise.all(
            Array.from({ length: 20 }, () => postWebhook(serve.url, body, headers)),
          );
        });
        return { statuses, growthMb: Math.round(growth / MB), output: serve.output() };
      } finally {
        const exited = new Promise((resolve) => serve.child.once('exit', resolve));
        serve.child.kill('SIGTERM');
        await exited;
      }
    };

    it('refuses unsigned ones before reading them: 20 at once barely move memory', async () => {
      const { statuses, growthMb, output } = await burst({});
      console.log(`20 unsigned 24 MB bodies: peak RSS +${growthMb} MB`);
      expect(statuses).toEqual(Array(20).fill(401));
      expect(output).toContain('webhook refused: missing or wrong X-Hub-Signature-256');
      expect(growthMb).toBeLessThan(150);
    });

    it('reads only a few large bodies at a time: 20 with forged signatures stay bounded', async () => {
      const { statuses, growthMb } = await burst({ 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` });
      console.log(`20 forged 24 MB bodies: peak RSS +${growthMb} MB`);
      expect(statuses).toEqual(Array(20).fill(401));
      // Four bodies held at once, plus the refused ones the next GC has yet to free (20 at once: ~500 MB).
      expect(growthMb).toBeLessThan(320);
    });

    it('answers a missing or malformed signature header without waiting for the body', async () => {
      const malformed = [
        'sha256=xyz',
        `sha1=${'0'.repeat(40)}`,
        `sha256=${'0'.repeat(63)}`,
        `sha256=${'G'.repeat(64)}`,
      ];
      for (const signature of [undefined, ...malformed])
        expect(await answerWithoutBody(url, 24 * MB, signature)).toBe(401);
    }, 10_000);

    it('still reads a large signed body, in its turn', async () => {
      const payload = { ...pushPayload('feature/big', 'b'.repeat(40)), padding: 'x'.repeat(3 * MB) };
      const response = await deliver(url, SECRET, payload, { delivery: 'large-signed' });
      expect(response).toMatchObject({
        status: 202,
        body: { ignored: expect.stringContaining('not watched') },
      });
    });
  });
});
