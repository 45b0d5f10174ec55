/**
 * Running one process: argv only (never a shell string), live output by line, a timeout and
 * cancellation that kill the whole process group, so `npm test` takes its Chromium with it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ExecError } from './exec-error.js';
import type { Redactor } from './redact.js';
import { stripAnsi } from './terminal-text.js';

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Each line of output as it arrives (already redacted). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  redactor?: Redactor;
  /** The user the process runs as (pushed code: see step-user.ts); else waggle's own. */
  user?: { uid: number; gid: number };
}

export interface ProcessResult {
  argv: readonly string[];
  exitCode: number | null;
  durationMs: number;
  outcome: 'exit' | 'timeout' | 'cancelled' | 'spawn';
  stdout: string;
  stderr: string;
}

const KILL_GRACE_MS = 3_000;

export function runProcess(argv: readonly string[], options: RunOptions): Promise<ProcessResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('empty command');
  const started = Date.now();
  const env = options.env ?? process.env;
  // Another user's exec reports a PATH folder it may not enter (root's own) as EACCES, hiding
  // that the command is simply not there: look first, and say ENOENT as for waggle's own user.
  if (options.user && !file.includes('/') && !onPath(file, env.PATH ?? '')) {
    return Promise.resolve({
      argv,
      exitCode: null,
      durationMs: 0,
      outcome: 'spawn',
      stdout: '',
      stderr: `spawn ${file} ENOENT\n`,
    });
  }
  return new Promise((resolve) => {
    const output = { stdout: '', stderr: '' };
    let outcome: ProcessResult['outcome'] = 'exit';
    const child = spawn(file, args, {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a kill reaches every descendant
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });

    const killGroup = (why: ProcessResult['outcome']) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      outcome = why;
      signalGroup(child.pid, 'SIGTERM');
      setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = options.timeoutMs ? setTimeout(() => killGroup('timeout'), options.timeoutMs) : undefined;
    const onAbort = () => killGroup('cancelled');
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    for (const stream of ['stdout', 'stderr'] as const) {
      let partial = '';
      const emit = (line: string) => {
        // Cursor moves and colours mean nothing in a stored log: keep what a terminal would show.
        const plain = stripAnsi(line);
        const clean = options.redactor ? options.redactor.redact(plain) : plain;
        output[stream] += `${clean}\n`;
        options.onLine?.(clean, stream);
      };
      child[stream].setEncoding('utf8');
      child[stream].on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(emit);
      });
      child[stream].on('end', () => {
        if (partial) emit(partial);
        partial = '';
      });
    }

    const finish = (exitCode: number | null, error?: Error) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        outcome = 'spawn';
        output.stderr += `${error.message}\n`;
      }
      // A group member may outlive the leader (a daemon a test forgot): it goes too.
      signalGroup(child.pid, 'SIGKILL');
      resolve({ argv, exitCode, durationMs: Date.now() - started, outcome, ...output });
    };
    child.on('error', (error) => finish(null, error));
    child.on('close', (code) => finish(code));
  });
}

/** Like runProcess, but a failure throws an ExecError; for commands whose output is the point. */
export async function exec(argv: readonly string[], options: RunOptions): Promise<ProcessResult> {
  const result = await runProcess(argv, options);
  if (result.outcome !== 'exit' || result.exitCode !== 0) {
    throw new ExecError(argv, options.cwd, result.exitCode, result.stdout, result.stderr, result.outcome);
  }
  return result;
}

function onPath(file: string, path: string): boolean {
  return path.split(delimiter).some((folder) => folder && existsSync(join(folder, file)));
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
