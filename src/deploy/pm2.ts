/**
 * Services under pm2, where a host has no systemd (the local default, the test hosts). Each host
 * keeps its own PM2_HOME beside its releases. pm2 resolves a symlinked path once, when a process
 * starts, and a reload keeps that path: so a service is always started anew from its release's
 * real folder, never from `current`, or a "reload" would go on running the old release.
 */
import { posix } from 'node:path';
import { mustRun, type Transport } from './transport.js';

export interface ServiceStart {
  /** pm2's name for it: `<app>-<package>`. */
  name: string;
  /** The release's real folder: the service's cwd and where its files are found. */
  releaseDir: string;
  /** The configured start command, `node` first (Node reads the env file itself). */
  start: readonly string[];
  envFile: string;
  /** Variables that are not secrets (PORT, NODE_ENV): they may show in pm2's own listings. */
  env: Readonly<Record<string, string>>;
  logDir: string;
}

export interface ServiceState {
  status: string;
  pid?: number;
  /** The folder the running process started in: which release it is. */
  cwd?: string;
  restarts: number;
}

export class Pm2 {
  constructor(
    private readonly transport: Transport,
    private readonly home: string,
    private readonly command: readonly string[] = ['pm2'],
  ) {}

  /** Starts the service from its release, replacing whatever ran under its name. */
  async start(service: ServiceStart): Promise<void> {
    const [node, script, ...args] = service.start;
    if (node !== 'node' || !script)
      throw new Error(
        `service ${service.name}: its start command must run node (node dist/index.js), not ${service.start.join(' ')}`,
      );
    const ecosystem = {
      apps: [
        {
          name: service.name,
          cwd: service.releaseDir,
          script: posix.resolve(service.releaseDir, script),
          args,
          interpreter: 'node',
          node_args: [`--env-file=${service.envFile}`],
          env: service.env,
          out_file: posix.join(service.logDir, `${service.name}.out.log`),
          error_file: posix.join(service.logDir, `${service.name}.err.log`),
          merge_logs: true,
          autorestart: true,
          max_restarts: 10,
          min_uptime: 2000,
        },
      ],
    };
    const file = posix.join(this.home, 'apps', `${service.name}.json`);
    await this.transport.writeFile(file, `${JSON.stringify(ecosystem, null, 2)}\n`, 0o644);
    await this.pm2(['delete', service.name], { mayFail: true });
    await this.pm2(['start', file]);
  }

  async stop(name: string): Promise<void> {
    await this.pm2(['delete', name], { mayFail: true });
  }

  async state(name: string): Promise<ServiceState | undefined> {
    const listing = await this.pm2(['jlist']);
    const all = JSON.parse(listing.slice(listing.indexOf('['))) as {
      name: string;
      pid?: number;
      pm2_env?: { status?: string; pm_cwd?: string; restart_time?: number };
    }[];
    const found = all.find((p) => p.name === name);
    if (!found) return undefined;
    return {
      status: found.pm2_env?.status ?? 'unknown',
      pid: found.pid || undefined,
      cwd: found.pm2_env?.pm_cwd,
      restarts: found.pm2_env?.restart_time ?? 0,
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

  private async pm2(args: string[], how: { mayFail?: boolean } = {}): Promise<string> {
    const argv = [...this.command, ...args];
    const options = { env: { PM2_HOME: this.home }, timeoutMs: 60_000 };
    if (how.mayFail) return (await this.transport.run(argv, options)).stdout;
    return (await mustRun(this.transport, argv, options)).stdout;
  }
}
