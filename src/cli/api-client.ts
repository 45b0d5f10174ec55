/**
 * The CLI's side of the server API: `--server URL` (or WAGGLE_SERVER) with WAGGLE_TOKEN. Known
 * failures become one line saying what to do.
 */
import { UsageError } from './usage-error.js';

export interface ServerEvent {
  event: string;
  data: unknown;
}

export class ApiClient {
  constructor(
    readonly server: string,
    private readonly token: string | undefined,
  ) {}

  static from(server: string | undefined, env: NodeJS.ProcessEnv = process.env): ApiClient | undefined {
    const url = server ?? env.WAGGLE_SERVER;
    if (!url) return undefined;
    return new ApiClient(
      serverUrl(url, server === undefined ? 'WAGGLE_SERVER' : '--server'),
      env.WAGGLE_TOKEN,
    );
  }

  async get<T>(path: string): Promise<T> {
    return (await this.request(path, 'GET')).json() as Promise<T>;
  }

  async post<T>(path: string): Promise<T> {
    return (await this.request(path, 'POST')).json() as Promise<T>;
  }

  /** Server-Sent Events from `path`, one callback per event, until the server ends the stream. */
  async stream(path: string, onEvent: (event: ServerEvent) => void): Promise<void> {
    const response = await this.request(path, 'GET');
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data !== undefined) onEvent({ event, data: JSON.parse(data) });
        end = buffer.indexOf('\n\n');
      }
    }
  }

  private async request(path: string, method: 'GET' | 'POST'): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.server}${path}`, {
        method,
        headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
      });
    } catch (error) {
      throw new Error(
        `cannot reach the waggle server at ${this.server} (${(error as Error).cause ?? (error as Error).message})`,
      );
    }
    if (response.ok) return response;
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    const reason = body.error ?? response.statusText;
    if (response.status === 401)
      throw new UsageError(`the server wants a token: set WAGGLE_TOKEN (${reason})`);
    if (response.status === 403) throw new UsageError(`not allowed: ${reason}`);
    if (response.status === 404) throw new UsageError(reason);
    throw new Error(`${method} ${path}: ${response.status} ${reason}`);
  }
}

/** The server's base URL without a trailing slash; anything but http(s)://host[:port] is bad input. */
export function serverUrl(text: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const plain = url && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  if (!url || !plain || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
    throw new UsageError(`${source} must be a URL such as http(s)://host[:port], not "${text}"`);
  return text.replace(/\/+$/, '');
}
