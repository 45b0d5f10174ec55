/**
 * Services under pm2, where a host has no systemd (the local default, the test hosts). Each host
 * keeps its own PM2_HOME beside its releases.
 *
 * A new release takes over its service's port with no moment where nothing answers there. Each
 * service runs in pm2's cluster mode, where pm2's daemon holds the listening socket and hands
 * connections to every process listening on that port, whichever pm2 app it belongs to. A release
 * is its own app, `<service>@<release>`, started alongside the one it replaces; once it listens
 * (the preload of pm2-preload.ts tells pm2 `ready`, which pm2 waits for), the old app is deleted:
 * pm2 sends it SIGINT and waits up to STOP_GRACE_MS while it finishes what it was answering.
 *
 * pm2 resolves a symlinked path once, when a process starts, and a reload keeps that path: so a
 * release is always started anew from its own real folder, never from `current` and never by
 * reloading another release's app, or a "reload" would go on running the old release. Starting
 * the release that already runs is the one reload: same folder, a fresh process, handed over alike.
 * A service an older waggle ran in fork mode holds its port alone: it is stopped first, once.
 */
import { posix } from 'node:path';
import { PM2_PRELOAD } from './pm2-preload.js';
import { mustRun, type Transport } from './transport.js';

export interface ServiceStart {
  /** pm2's name for the service: `<app>-<package>`; each release runs as `<name>@<release>`. */
  name: string;
  /** The release's real folder: the service's cwd and where its files are found. */
  releaseDir: string;
  /** The configured start command, `node` first (Node reads the env file itself). */
  start: readonly string[];
  envFile: string;
  /** Variables that are not secrets (PORT, NODE_ENV): they may show in pm2's own listings. */
  env: Readonly<Record<string, string>>;
  logDir: string;
  /** How long the new process has to listen before the one it replaces is stopped anyway. */
  readyWithinMs?: number;
}

export interface ServiceState {
  status: string;
  pid?: number;
  /** The folder the running process started in: which release it is. */
  cwd?: string;
  restarts: number;
  /** pm2's name of the app: `<service>@<release>`. */
  app: string;
}

/** How long a stopping service may take to finish its requests before pm2 kills it. */
export const STOP_GRACE_MS = 15_000;
const READY_WITHIN_MS = 60_000;
/** Beyond the waits a pm2 command is told of: its own start-up and bookkeeping. */
const COMMAND_SLACK_MS = 30_000;

interface Listed {
  name: string;
  pid?: number;
  pm_id?: number;
  pm2_env?: { status?: string; pm_cwd?: string; restart_time?: number; exec_mode?: string };
}

/** pm2's app of a release of the service, or the service's own name (an older waggle's fork-mode app). */
export function appOf(service: string, release: string): string {
  return `${service}@${release}`;
}

function belongsTo(app: string, service: string): boolean {
  return app === service || app.startsWith(`${service}@`);
}

export class Pm2 {
  constructor(
    private readonly transport: Transport,
    private readonly home: string,
    private readonly command: readonly string[] = ['pm2'],
  ) {}

  /** Starts the service from its release and hands its port over from what ran before. */
  async start(service: ServiceStart): Promise<void> {
    const [node, script, ...args] = service.start;
    if (node !== 'node' || !script)
      throw new Error(
        `service ${service.name}: its start command must run node (node dist/index.js), not ${service.start.join(' ')}`,
      );
    const app = appOf(service.name, posix.basename(service.releaseDir));
    const readyWithinMs = service.readyWithinMs ?? READY_WITHIN_MS;
    const preload = posix.join(this.home, 'waggle-preload.cjs');
    await this.transport.writeFile(preload, PM2_PRELOAD, 0o644);
    const ecosystem = {
      apps: [
        {
          name: app,
          cwd: service.releaseDir,
          script: posix.resolve(service.releaseDir, script),
          args,
          exec_mode: 'cluster',
          instances: 1,
          node_args: ['--require', preload, `--env-file=${service.envFile}`],
          env: service.env,
          out_file: posix.join(service.logDir, `${service.name}.out.log`),
          error_file: posix.join(service.logDir, `${service.name}.err.log`),
          merge_logs: true,
          autorestart: true,
          max_restarts: 10,
          min_uptime: 2000,
          wait_ready: true,
          listen_timeout: readyWithinMs,
          kill_timeout: STOP_GRACE_MS,
        },
      ],
    };
    const file = posix.join(this.home, 'apps', `${app}.json`);
    await this.transport.writeFile(file, `${JSON.stringify(ecosystem, null, 2)}\n`, 0o644);

    const running = (await this.list()).filter((p) => belongsTo(p.name, service.name));
    for (const alone of running.filter((p) => p.pm2_env?.exec_mode !== 'cluster_mode'))
      await this.delete(alone.name);
    const handOver = { timeoutMs: readyWithinMs + COMMAND_SLACK_MS };
    if (running.some((p) => p.name === app && p.pm2_env?.exec_mode === 'cluster_mode'))
      await this.pm2(['reload', file, '--update-env'], handOver);
    else await this.pm2(['start', file], handOver);
    const others = new Set(running.map((p) => p.name).filter((name) => name !== app));
    for (const other of others) await this.delete(other);
  }

  /** Stops every release of the service, each given STOP_GRACE_MS to finish. */
  async stop(name: string): Promise<void> {
    const apps = new Set((await this.list()).map((p) => p.name).filter((app) => belongsTo(app, name)));
    for (const app of apps) await this.delete(app);
  }

  /** The service's process, the newest when two releases are handing over. */
  async state(name: string): Promise<ServiceState | undefined> {
    const found = (await this.list())
      .filter((p) => belongsTo(p.name, name))
      .sort((a, b) => (b.pm_id ?? 0) - (a.pm_id ?? 0))[0];
    if (!found) return undefined;
    return {
      status: found.pm2_env?.status ?? 'unknown',
      pid: found.pid || undefined,
      cwd: found.pm2_env?.pm_cwd,
      restarts: found.pm2_env?.restart_time ?? 0,
      app: found.name,
    };
  }

  /** The last lines the service wrote, for a report of why it failed. */
  async lastLines(service: Pick<ServiceStart, 'name' | 'logDir'>, lines = 40): Promise<string> {
    const files = ['err', 'out'].map((kind) => posix.join(service.logDir, `${service.name}.${kind}.log`));
    const result = await this.transport.run(['tail', '-q', '-n', String(lines), '--', ...files]);
    return result.stdout;
  }

  /** Stops pm2 itself on this host (tests, and taking a host out of service). */
  async kill(): Promise<void> {
    await this.pm2(['kill'], { mayFail: true });
  }

  private async list(): Promise<Listed[]> {
    const listing = await this.pm2(['jlist']);
    // A daemon pm2 starts for the command says so first (`[PM2] Spawning PM2 daemon...`).
    const json = listing.split('\n').find((line) => /^\[(\]|\{)/.test(line.trim()));
    if (json === undefined)
      throw new Error(`${this.transport.name}: pm2 jlist printed no list: ${listing.slice(0, 300)}`);
    return JSON.parse(json) as Listed[];
  }

  private async delete(app: string): Promise<void> {
    await this.pm2(['delete', app], { mayFail: true, timeoutMs: STOP_GRACE_MS + COMMAND_SLACK_MS });
  }

  private async pm2(args: string[], how: { mayFail?: boolean; timeoutMs?: number } = {}): Promise<string> {
    const argv = [...this.command, ...args];
    const options = { env: { PM2_HOME: this.home }, timeoutMs: how.timeoutMs ?? 60_000 };
    if (how.mayFail) return (await this.transport.run(argv, options)).stdout;
    return (await mustRun(this.transport, argv, options)).stdout;
  }
}
