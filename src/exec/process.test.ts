import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ExecError } from './exec-error.js';
import { exec, runProcess } from './process.js';
import { Redactor } from './redact.js';

/** Running, as opposed to gone or a zombie nobody has reaped yet (containers often lack an init). */
const alive = (pid: number) => {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('runProcess', () => {
  it('streams lines and reports the exit code', async () => {
    const lines: string[] = [];
    const result = await runProcess(
      ['node', '-e', 'console.log("one\\ntwo"); console.error("three"); process.exit(3)'],
      {
        cwd: tmpdir(),
        onLine: (line, stream) => lines.push(`${stream}:${line}`),
      },
    );
    expect(result).toMatchObject({ exitCode: 3, outcome: 'exit' });
    expect(lines.sort()).toEqual(['stderr:three', 'stdout:one', 'stdout:two']);
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-exec-'));
    const pidFile = join(dir, 'grandchild.pid');
    // The child starts a grandchild that would outlive it, then waits.
    const script = `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1000);`;
    // Long enough for the child to have started its grandchild even on a busy machine.
    const result = await runProcess(['node', '-e', script], { cwd: dir, timeoutMs: 2_000 });
    expect(result.outcome).toBe('timeout');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    // SIGKILL takes a moment to land: wait for the grandchild to go, not for a fixed time.
    await vi.waitFor(() => expect(alive(grandchild)).toBe(false), { timeout: 2_000, interval: 20 });
  });

  it('cancels on abort', async () => {
    const controller = new AbortController();
    // Aborted once the process says it is running, not after a guess at when that will be.
    const result = await runProcess(['sh', '-c', 'echo running; exec sleep 30'], {
      cwd: tmpdir(),
      signal: controller.signal,
      onLine: (line) => {
        if (line === 'running') controller.abort();
      },
    });
    expect(result.outcome).toBe('cancelled');
    expect(result.durationMs).toBeLessThan(5_000);
  });

  it('redacts secrets from every line', async () => {
    const lines: string[] = [];
    const result = await runProcess(['node', '-e', 'console.log("token=hunter2-secret ok")'], {
      cwd: tmpdir(),
      redactor: new Redactor().add('hunter2-secret'),
      onLine: (line) => lines.push(line),
    });
    expect(lines).toEqual(['token=[REDACTED] ok']);
    expect(result.stdout).not.toContain('hunter2');
  });

  it('passes arguments untouched by any shell', async () => {
    const marker = join(tmpdir(), `waggle-argv-${process.pid}`);
    const result = await exec(['node', '-e', 'console.log(process.argv[1])', `$(touch ${marker})`], {
      cwd: tmpdir(),
    });
    expect(result.stdout.trim()).toBe(`$(touch ${marker})`);
    expect(existsSync(marker)).toBe(false);
  });

  it('exec throws a typed error with what ran and what it said', async () => {
    const error = await exec(['node', '-e', 'console.error("bad thing"); process.exit(2)'], {
      cwd: tmpdir(),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect(error).toMatchObject({ exitCode: 2, reason: 'exit' });
    expect(error.message).toContain('bad thing');
  });

  it('reports a command that cannot start', async () => {
    const result = await runProcess(['no-such-command-waggle'], { cwd: tmpdir() });
    expect(result.outcome).toBe('spawn');
  });
});
