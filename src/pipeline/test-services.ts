/**
 * Processes test suites need (a database): started the first time a suite of the run asks for one,
 * shared by every later suite, stopped when the run ends. Plain commands, never a shell, each in
 * its own process group so stopping one takes whatever it started along.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestServiceConfig } from '../config/schema.js';
import { interpolate } from '../config/secrets.js';
import { parseDuration } from '../config/units.js';
import { FailedOperationError } from '../errors.js';
import { toArgv } from '../exec/argv.js';
import type { Redactor } from '../exec/redact.js';
import type { StepUser } from '../exec/step-user.js';

export type ServiceLog = (line: string, stream: 'stdout' | 'stderr') => void;

export interface TestServicesOptions {
  services: Readonly<Record<string, TestServiceConfig>>;
  /** Where the commands run: the workspace root. */
  cwd: string;
  /** The minimal step environment; each service's own env goes on top. */
  env: NodeJS.ProcessEnv;
  /** Where `${{ secrets.X }}` and `${{ vars.X }}` in a service's env are read from. */
  serverEnv: NodeJS.ProcessEnv;
  redactor?: Redactor;
  /** The run's cancel signal: waiting stops and the acquire fails. */
  signal?: AbortSignal;
  /** Who runs the services: the commit's commands, like its steps (exec/step-user.ts). */
  user?: StepUser;
  /** The clock behind readiness deadlines and the time to ready in the log. */
  now?: () => number;
}

export type ServiceFailure = 'config' | 'in-use' | 'spawn' | 'exit' | 'timeout' | 'cancelled';

/** A service that could not be had: which, why, and the last lines it printed. */
export class ServiceError extends FailedOperationError {
  constructor(
    readonly service: string,
    readonly reason: ServiceFailure,
    why: string,
    readonly output: readonly string[] = [],
    readonly exitCode: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(`service ${service}: ${why}${output.length ? `\n${output.join('\n')}` : ''}`, options);
    this.name = 'ServiceError';
  }
}

interface Running {
  name: string;
  child: ChildProcess;
  tail: string[];
  ready: boolean;
  stopping: boolean;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  spawnError?: NodeJS.ErrnoException;
  /** The leader is gone (or never started). */
  exited: Promise<void>;
  /** Its output is read to the end, so the tail is complete. */
  closed: Promise<void>;
}

const TAIL_LINES = 20;
const PROBE_EVERY_MS = 100;
const PROBE_LIMIT_MS = 1_000;
const KILL_GRACE_MS = 3_000;

export class TestServices {
  private readonly starts = new Map<string, Promise<Record<string, string>>>();
  private readonly running: Running[] = [];
  private stopping?: Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: TestServicesOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Starts the named services (once per run: later and concurrent callers share the first start),
   * waits until each is ready, and returns the variables to add to the suite's environment. The
   * output of a service goes to the log of the suite that started it, for as long as it runs.
   */
  async acquire(names: readonly string[], log: ServiceLog): Promise<Record<string, string>> {
    for (const name of names) this.refuseIfEnding(name);
    // All at once: a suite needing a database and a queue waits for the slower, not the sum.
    const envs = await Promise.all(
      names.map((name) => {
        const start = this.starts.get(name) ?? this.start(name, log);
        this.starts.set(name, start);
        return start;
      }),
    );
    // Ready once is not enough: a suite must not be handed a database that has since died.
    const died = this.running.find((service) => names.includes(service.name) && service.exit);
    if (died?.exit) throw failure(died, 'exit', `${describeExit(died.exit)} after it was ready`);
    return Object.assign({}, ...envs);
  }

  /** SIGTERM to each service's process group, SIGKILL after a grace period; resolves once they are gone. */
  stopAll(): Promise<void> {
    this.stopping ??= Promise.all(this.running.map((service) => stop(service))).then(() => undefined);
    return this.stopping;
  }

  private async start(name: string, log: ServiceLog): Promise<Record<string, string>> {
    const config = this.options.services[name];
    if (!config) throw new ServiceError(name, 'config', 'not declared under services in waggle.yml');
    const env: Record<string, string> = {};
    let argv: string[];
    try {
      for (const [key, value] of Object.entries(config.env))
        env[key] = interpolate(value, this.options.serverEnv);
      argv = toArgv(config.run);
    } catch (error) {
      throw new ServiceError(name, 'config', (error as Error).message, [], null, { cause: error });
    }
    const [file, ...args] = argv;
    if (!file) throw new ServiceError(name, 'config', 'its run command is empty');
    this.refuseIfEnding(name);
    // Something already answering would pass the readiness check for a service that never started.
    const target = describeReady(config.ready);
    if (await isReady(config.ready, PROBE_LIMIT_MS))
      throw new ServiceError(name, 'in-use', `${target} already answers: another process holds it`);
    this.refuseIfEnding(name);

    const started = this.now();
    const child = spawn(file, args, {
      cwd: this.options.cwd,
      env: { ...this.options.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a stop reaches every descendant
      ...(this.options.user ? { uid: this.options.user.uid, gid: this.options.user.gid } : {}),
    });
    const service: Running = {
      name,
      child,
      tail: [],
      ready: false,
      stopping: false,
      exited: new Promise((resolve) => child.once('exit', () => resolve()).once('error', () => resolve())),
      closed: new Promise((resolve) => child.once('close', () => resolve())),
    };
    this.running.push(service);
    child.on('error', (error) => {
      service.spawnError = error;
    });
    child.on('exit', (code, signal) => {
      service.exit = { code, signal };
      if (service.ready && !service.stopping)
        log(`[${name}] ${describeExit(service.exit)} after it was ready`, 'stderr');
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream], crlfDelay: Number.POSITIVE_INFINITY }).on('line', (raw) => {
        const line = this.options.redactor ? this.options.redactor.redact(raw) : raw;
        service.tail.push(line);
        if (service.tail.length > TAIL_LINES) service.tail.shift();
        log(`[${name}] ${line}`, stream);
      });
    }

    await this.untilReady(service, config, file);
    service.ready = true;
    log(`[${name}] ready after ${((this.now() - started) / 1000).toFixed(1)} s`, 'stdout');
    return env;
  }

  /** Once the run is cancelled or its services stopped, nothing starts (nobody would stop it) or is handed out. */
  private refuseIfEnding(name: string): void {
    if (this.options.signal?.aborted)
      throw new ServiceError(name, 'cancelled', 'the run was cancelled before it was ready');
    if (this.stopping)
      throw new ServiceError(name, 'cancelled', 'services are being stopped: the run is ending');
  }

  private async untilReady(service: Running, config: TestServiceConfig, file: string): Promise<void> {
    const { signal, cwd } = this.options;
    const deadline = this.now() + parseDuration(config.timeout);
    const notReady = `${describeReady(config.ready)} not ready within ${config.timeout}`;
    for (;;) {
      const error = service.spawnError;
      if (error) throw failure(service, 'spawn', describeSpawnError(file, error, cwd), error);
      if (service.exit) {
        // Its last lines usually say why it died: give the pipes a moment to deliver them.
        await Promise.race([service.closed, sleep(250)]);
        throw failure(service, 'exit', `${describeExit(service.exit)} before it was ready`);
      }
      if (signal?.aborted) throw failure(service, 'cancelled', 'the run was cancelled before it was ready');
      const left = deadline - this.now();
      if (left <= 0) throw failure(service, 'timeout', notReady);
      if ((await isReady(config.ready, Math.min(left, PROBE_LIMIT_MS))) && !service.exit) return;
      await sleep(PROBE_EVERY_MS, undefined, { signal }).catch(() => {}); // an abort wakes it early
    }
  }
}

function failure(service: Running, reason: ServiceFailure, why: string, cause?: unknown): ServiceError {
  const output = [...service.tail];
  return new ServiceError(service.name, reason, why, output, service.exit?.code ?? null, { cause });
}

async function stop(service: Running): Promise<void> {
  service.stopping = true;
  const pid = service.child.pid;
  if (pid === undefined) return; // never started
  // Unref'd: a grace period must not keep waggle alive once everything is gone.
  const grace = () => sleep(KILL_GRACE_MS, undefined, { ref: false });
  signalGroup(pid, 'SIGTERM');
  await Promise.race([service.exited, grace()]);
  // Either the leader ignored SIGTERM, or members of its group outlived it: neither may stay.
  signalGroup(pid, 'SIGKILL');
  // Bounded even now: a process stuck in the kernel must not hold the end of the run forever.
  await Promise.race([service.exited, grace()]);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function isReady(ready: TestServiceConfig['ready'], limitMs: number): Promise<boolean> {
  if ('http' in ready) {
    try {
      const response = await fetch(ready.http, { signal: AbortSignal.timeout(limitMs) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }
  const [host, port] = tcpTarget(ready.tcp);
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: limitMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false)).once('timeout', () => done(false));
  });
}

function tcpTarget(tcp: number | string): [string, number] {
  if (typeof tcp === 'number') return ['127.0.0.1', tcp];
  const colon = tcp.lastIndexOf(':');
  return [tcp.slice(0, colon), Number(tcp.slice(colon + 1))];
}

function describeReady(ready: TestServiceConfig['ready']): string {
  return 'http' in ready ? ready.http : tcpTarget(ready.tcp).join(':');
}

function describeExit(exit: NonNullable<Running['exit']>): string {
  return exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
}

function describeSpawnError(file: string, error: NodeJS.ErrnoException, cwd: string): string {
  // A missing working folder fails with ENOENT too, and "not found on PATH" would mislead.
  const missing = existsSync(cwd) ? 'not found on PATH (ENOENT)' : `its folder ${cwd} does not exist`;
  const why =
    error.code === 'ENOENT' ? missing : error.code === 'EACCES' ? 'not executable (EACCES)' : error.message;
  return `cannot start ${file}: ${why}`;
}
