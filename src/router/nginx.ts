/**
 * nginx on a host, run from a private prefix and driven through a Transport (so the same code
 * works on a local folder and over SSH). Applying a configuration is: write it beside the running
 * one, `nginx -t` it, move it over, reload the live master (or start one), then prove the new
 * file is the one being served by asking nginx, from the host itself, for the version rendered
 * into it. A configuration nginx refuses never replaces the one it serves.
 *
 * `nginx -t` does not notice a port that is already taken: a start then fails (or a reload is
 * refused by the master, which keeps its old configuration and only says so in its error log).
 * Both are caught here, from the exit status, the master's liveness and the error log, and the
 * previous file is put back so the file on disk stays the one that runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandResult, Transport } from '../deploy/transport.js';
import { mustRun } from '../deploy/transport.js';
import { FailedOperationError } from '../errors.js';
import { type NginxState, type RenderedNginxConfig, renderNginxConfig } from './nginx-config.js';
import { type NginxPaths, nginxPaths } from './nginx-paths.js';

export interface HostNginxOptions {
  /** nginx on the host; Debian and Ubuntu put it in /usr/sbin, outside a deploy user's PATH. */
  binary?: string;
  /** node on the host, which makes the proving request (no curl needed). */
  node?: string;
  /** How long a started or reloaded nginx has to serve the new version (reload is asynchronous). */
  settleMs?: number;
}

export interface AppliedNginx {
  version: string;
  action: 'started' | 'reloaded';
  /** The master's pid: the same across reloads. */
  pid: number;
}

/**
 * Fetches a URL once (argv[1]) and prints `{ status, body }` or `{ error }` as JSON. Fixed text: the
 * URL reaches it as an argument, never as code.
 */
const PROBE_SCRIPT = [
  "const request = require('node:http').get(process.argv[1], { agent: false, timeout: 2000 }, (response) => {",
  "  let body = ''; response.setEncoding('utf8');",
  "  response.on('data', (chunk) => { body += chunk; });",
  "  response.on('end', () => console.log(JSON.stringify({ status: response.statusCode, body })));",
  '});',
  "request.on('timeout', () => request.destroy(new Error('timed out')));",
  "request.on('error', (error) => console.log(JSON.stringify({ error: error.message })));",
].join('\n');

export interface ProbeAnswer {
  status?: number;
  body?: string;
  error?: string;
}

const POLL_MS = 100;
/** nginx retries a bind five times, half a second apart, before it gives up on a new config. */
const GIVE_UP_MS = 5_000;

/** The new configuration is not the one being served; the message says why. */
class NotServed extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

export class HostNginx {
  readonly paths: NginxPaths;
  private readonly binary: string;
  private readonly node: string;
  private readonly settleMs: number;

  constructor(
    private readonly transport: Transport,
    prefix: string,
    options: HostNginxOptions = {},
  ) {
    this.paths = nginxPaths(prefix);
    this.binary = options.binary ?? '/usr/sbin/nginx';
    this.node = options.node ?? 'node';
    this.settleMs = options.settleMs ?? 5_000;
  }

  /** Renders the state (refusing bad values) and installs it. */
  apply(state: NginxState): Promise<AppliedNginx> {
    return this.install(renderNginxConfig(state));
  }

  /**
   * Installs a rendered configuration: test it, move it over the running one, reload the master
   * (or start one), prove it is served. Any failure after the move puts the previous file back.
   */
  async install(config: RenderedNginxConfig): Promise<AppliedNginx> {
    const { transport, paths } = this;
    if (config.paths.prefix !== paths.prefix)
      throw new Error(`a configuration for ${config.paths.prefix} given to nginx at ${paths.prefix}`);
    await mustRun(transport, ['mkdir', '-p', '--', ...config.folders]);
    await transport.writeFile(paths.next, config.text, 0o644);
    const test = await this.nginx(['-t', '-q', ...this.flags(paths.next)]);
    if (!succeeded(test))
      throw new FailedOperationError(
        `${transport.name}: nginx refused the new configuration (left in ${paths.next}); ` +
          `${paths.conf} is unchanged:\n${nginxLines(test)}`,
      );

    const running = await this.masterPid();
    const logFrom = await this.errorLogSize();
    const hadPrevious = await this.exists(paths.conf);
    if (hadPrevious) await mustRun(transport, ['cp', '-f', '--', paths.conf, paths.previous]);
    await mustRun(transport, ['mv', '-f', '-T', '--', paths.next, paths.conf]);
    try {
      const pid = running === undefined ? await this.start(logFrom) : await this.reload(running);
      await this.prove(config, logFrom);
      return { version: config.version, action: running === undefined ? 'started' : 'reloaded', pid };
    } catch (error) {
      if (!(error instanceof NotServed)) throw error;
      if (hadPrevious) {
        await mustRun(transport, ['cp', '-f', '--', paths.previous, paths.next]);
        await mustRun(transport, ['mv', '-f', '-T', '--', paths.next, paths.conf]);
      }
      const kept = hadPrevious ? `; ${paths.conf} is the previous configuration again` : '';
      throw new FailedOperationError(
        `${transport.name}: ${error.message}${kept}${error.detail ? `:\n${error.detail}` : ''}`,
      );
    }
  }

  /** Stops the master gracefully (requests in flight finish); false when none was running. */
  async stop(timeoutMs = 10_000): Promise<boolean> {
    const pid = await this.masterPid();
    if (pid === undefined) return false;
    const gone = async () => !(await this.alive(pid)) || undefined;
    await this.nginx(['-s', 'quit', ...this.flags(this.paths.conf)]);
    if ((await this.waitFor(gone, timeoutMs)) === undefined) {
      await this.nginx(['-s', 'stop', ...this.flags(this.paths.conf)]);
      if ((await this.waitFor(gone, 2_000)) === undefined)
        throw new FailedOperationError(`${this.transport.name}: nginx (pid ${pid}) did not stop`);
    }
    return true;
  }

  /** The pid of this prefix's live master, if there is one (a stale pid file names none). */
  async masterPid(): Promise<number | undefined> {
    const text = await this.transport.readFile(this.paths.pid);
    const pid = Number(text?.toString('utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0 || !(await this.alive(pid))) return undefined;
    // A pid can be reused: it must be a master started on this prefix.
    const command = await this.transport.run(['cat', '--', `/proc/${pid}/cmdline`]);
    const title = command.stdout.replaceAll('\0', ' ');
    return title.startsWith('nginx: master process') && title.includes(` -p ${this.paths.prefix}/ `)
      ? pid
      : undefined;
  }

  /** GETs a URL from the host itself. */
  async probe(url: string): Promise<ProbeAnswer> {
    const result = await this.transport.run([this.node, '-e', PROBE_SCRIPT, '--', url], {
      timeoutMs: 10_000,
    });
    try {
      return JSON.parse(result.stdout) as ProbeAnswer;
    } catch {
      return { error: nginxLines(result) || `node exited with ${result.exitCode}` };
    }
  }

  private async start(logFrom: number): Promise<number> {
    const start = await this.nginx(this.flags(this.paths.conf));
    if (!succeeded(start)) {
      const lines = nginxLines(start);
      throw new NotServed(`nginx did not start${portHint(lines)}`, lines);
    }
    // The pid file is written by the daemon, which may outlive its start by a moment, or not at all.
    const pid = await this.waitFor(() => this.masterPid());
    if (pid === undefined) {
      const log = await this.errorLogSince(logFrom);
      throw new NotServed(`nginx exited right after it started${portHint(log)}`, log);
    }
    return pid;
  }

  private async reload(pid: number): Promise<number> {
    const reload = await this.nginx(['-s', 'reload', ...this.flags(this.paths.conf)]);
    if (!succeeded(reload)) throw new NotServed('nginx could not be told to reload', nginxLines(reload));
    return pid;
  }

  /**
   * Waits for the probe to answer this version. A reload is asynchronous and a master that cannot
   * apply it (a port taken) only says so in its error log, keeping the old configuration.
   */
  private async prove(config: RenderedNginxConfig, logFrom: number): Promise<void> {
    const deadline = Date.now() + this.settleMs;
    for (;;) {
      const answer = await this.probe(config.probeUrl);
      if (answer.status === 200 && answer.body === config.version) return;
      const log = await this.errorLogSince(logFrom);
      const emerg = log
        .split('\n')
        .filter((line) => line.includes('[emerg]'))
        .join('\n');
      if (emerg !== '') {
        // A master that cannot bind keeps trying for a few seconds, logging as it goes: wait for it
        // to give up, so the next apply does not read this attempt's errors as its own.
        if (emerg.includes('bind()')) await this.untilLogged('still could not bind()', logFrom);
        throw new NotServed(`nginx kept its previous configuration${portHint(emerg)}`, emerg);
      }
      if (Date.now() > deadline)
        throw new NotServed(
          `nginx does not serve version ${config.version} at ${config.probeUrl} after ${this.settleMs} ms ` +
            `(it answered ${JSON.stringify(answer)})`,
          log,
        );
      await sleep(POLL_MS);
    }
  }

  /** Waits (a few seconds at most) until the error log since `logFrom` holds `text`. */
  private async untilLogged(text: string, logFrom: number): Promise<void> {
    const deadline = Date.now() + GIVE_UP_MS;
    while (Date.now() < deadline && !(await this.errorLogSince(logFrom)).includes(text)) await sleep(POLL_MS);
  }

  private nginx(args: readonly string[]): Promise<CommandResult> {
    return this.transport.run([this.binary, ...args], { timeoutMs: 30_000 });
  }

  private flags(conf: string): string[] {
    const { prefix, errorLog } = this.paths;
    // -e: nginx writes to its compiled-in error log until it has read the config; not ours to touch.
    return ['-p', `${prefix}/`, '-c', conf, '-e', errorLog];
  }

  /** Running and not a zombie. */
  private async alive(pid: number): Promise<boolean> {
    const stat = await this.transport.run(['cat', '--', `/proc/${pid}/stat`]);
    return succeeded(stat) && !/\) Z /.test(stat.stdout);
  }

  private async exists(path: string): Promise<boolean> {
    return (await this.transport.run(['test', '-e', path])).exitCode === 0;
  }

  private async errorLogSize(): Promise<number> {
    const result = await this.transport.run(['stat', '-c', '%s', '--', this.paths.errorLog]);
    return succeeded(result) ? Number(result.stdout.trim()) : 0;
  }

  private async errorLogSince(offset: number): Promise<string> {
    const result = await this.transport.run(['tail', '-c', `+${offset + 1}`, '--', this.paths.errorLog]);
    // Log lines start with a timestamp and pid: drop them so repeats read once.
    return succeeded(result)
      ? distinct(result.stdout.trim().replace(/^\S+ \S+ (\[\w+\]) \d+#\d+: /gm, '$1 '))
      : '';
  }

  private async waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 3_000): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined || Date.now() > deadline) return value;
      await sleep(POLL_MS);
    }
  }
}

function succeeded(result: CommandResult): boolean {
  return result.outcome === 'exit' && result.exitCode === 0;
}

/** What nginx said, each line once (a bind failure is retried and repeated five times). */
function nginxLines(result: CommandResult): string {
  return distinct(result.stderr.trim() || result.stdout.trim());
}

function distinct(text: string): string {
  return [...new Set(text.split('\n'))].slice(-10).join('\n');
}

/** nginx's own words for a taken port are a bind() failure; say what it means. */
function portHint(lines: string): string {
  return lines.includes('bind()') ? ' (a port it listens on is in use; nginx -t cannot see that)' : '';
}
