/** Receivers for what waggle sends: HTTP endpoints that record requests, and an SMTP server. */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Answer only once this settles (a receiver that is slow, or waits for another request). */
  after?: () => Promise<unknown>;
}

// The answers of the chat services, as each documents them. Each service's answer differs, and a
// sender must take every one of them as what it is.

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

/** A Slack incoming webhook took the message: 200, and the two letters `ok` as plain text. */
export const slackAnswer: Answer = { status: 200, body: 'ok', headers: TEXT };

/**
 * A Slack incoming webhook refused the message: the error's name as plain text, as in Slack's
 * list (400 invalid_payload, 403 action_prohibited, 404 no_service, 410 channel_is_archived,
 * 500 rollup_error).
 */
export function slackError(status: number, error: string): Answer {
  return { status, body: error, headers: TEXT };
}

/** Slack's rate limit: 429 with Retry-After in whole seconds (webhooks document no body). */
export function slackRateLimit(seconds: number): Answer {
  return { status: 429, body: '', headers: { 'retry-after': String(seconds) } };
}

/** A Discord webhook took the message: 204 No Content (a POST without `?wait=true`). */
export const discordAnswer: Answer = { status: 204, body: '' };

/**
 * Discord's rate limit: 429, Retry-After in whole seconds (rounded up), and a JSON body giving
 * the exact wait in seconds.
 */
export function discordRateLimit(seconds: number): Answer {
  return {
    status: 429,
    body: JSON.stringify({ message: 'You are being rate limited.', retry_after: seconds, global: false }),
    headers: {
      'content-type': 'application/json',
      'retry-after': String(Math.ceil(seconds)),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': String(seconds),
      'x-ratelimit-scope': 'user',
    },
  };
}

/** A Teams Workflows webhook took the message, to post it later: 202 Accepted, empty. */
export const teamsAnswer: Answer = { status: 202, body: '' };

/** An HTTP server on 127.0.0.1 that records every request and answers as each path is scripted. */
export class Receiver {
  readonly requests: Received[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly arrivals = new Map<string, () => void>();
  private readonly arrived = new Map<string, Promise<void>>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly route?: (request: Received) => Answer,
  ) {}

  static async start(route?: (request: Received) => Answer): Promise<Receiver> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const receiver = new Receiver(
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      route,
    );
    server.on('request', async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      receiver.requests.push(request);
      receiver.arrivedAt(request.path);
      const answer = receiver.answerFor(request);
      await answer.after?.();
      const body = answer.body ?? '{"ok":true}';
      // JSON unless the answer says otherwise; an empty answer (a 202, a 204) has no type at all.
      const type = body === '' ? {} : { 'content-type': 'application/json' };
      res.writeHead(answer.status, { ...type, ...answer.headers }).end(body);
    });
    return receiver;
  }

  /** The answers to the next requests to `path`, in order; the last one repeats. */
  script(path: string, ...answers: (number | Answer)[]): string {
    this.scripts.set(
      path,
      answers.map((answer) => (typeof answer === 'number' ? { status: answer } : answer)),
    );
    return `${this.url}${path}`;
  }

  to(path: string): Received[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** Settles once a request to `path` has arrived. */
  waitFor(path: string): Promise<void> {
    let promise = this.arrived.get(path);
    if (!promise) {
      promise = new Promise((resolve) => this.arrivals.set(path, resolve));
      this.arrived.set(path, promise);
    }
    return promise;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private arrivedAt(path: string): void {
    void this.waitFor(path);
    this.arrivals.get(path)?.();
  }

  private answerFor(request: Received): Answer {
    if (this.route) return this.route(request);
    const script = this.scripts.get(request.path);
    if (!script || script.length === 0) return { status: 200 };
    return (script.length > 1 ? script.shift() : script[0]) as Answer;
  }
}

export interface Mail {
  user: string | undefined;
  from: string | undefined;
  to: string[];
  raw: string;
}

/** Headers (unfolded, lower-case names) and the decoded text of a single-part message. */
export function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = Object.fromEntries(
    raw
      .slice(0, split)
      .replace(/\r\n[ \t]+/g, ' ')
      .split('\r\n')
      .map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 1).trim(),
      ]),
  );
  const body = raw.slice(split + 4);
  const encoding = headers['content-transfer-encoding'];
  const text =
    encoding === 'base64'
      ? Buffer.from(body, 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : body;
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** An SMTP server on 127.0.0.1 that accepts one user and keeps every message it receives. */
export async function startSmtp(login: { user: string; password: string }): Promise<{
  port: number;
  mails: Mail[];
  close(): Promise<void>;
}> {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === login.user && auth.password === login.password)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          user: session.user as string | undefined,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (smtp.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
