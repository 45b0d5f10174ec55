import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

/** A terminal of a given width that keeps what was written to it. */
function terminal(): NodeJS.WriteStream & { text: string } {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text: string };
  Object.assign(stream, { text: '', isTTY: true, columns: 60 });
  return stream;
}

const steps = [
  { key: 'checkout', stage: 'checkout' as const, name: 'checkout' },
  { key: 'build:billing', stage: 'build' as const, name: 'build billing', package: 'billing' },
  { key: 'test:billing', stage: 'test' as const, name: 'test billing', package: 'billing' },
];

describe('Progress', () => {
  it("draws a live tree of stages and steps on a terminal, with the running step's last line", () => {
    const out = terminal();
    const progress = new Progress(out);
    progress.onEvent({ type: 'run.started', runId: 7, steps, affected: ['billing'] });
    progress.onEvent({
      type: 'step.finished',
      runId: 7,
      key: 'checkout',
      status: 'passed',
      durationMs: 1200,
    });
    progress.onEvent({ type: 'step.started', runId: 7, key: 'build:billing' });
    progress.onEvent({
      type: 'step.log',
      runId: 7,
      key: 'build:billing',
      seq: 1,
      line: 'tsc -p tsconfig.build.json',
      stream: 'stdout',
    });
    progress.stop();
    const screen = out.text.slice(
      out.text.lastIndexOf('\u001b[0J') >= 0 ? out.text.lastIndexOf('\u001b[0J') + 4 : 0,
    );
    expect(out.text).toContain('run 7: affected: billing');
    expect(screen).toContain('✓ checkout\n  ✓ checkout 1.2s');
    expect(screen).toContain('▸ build\n  ▸ build billing');
    expect(screen).toContain('      tsc -p tsconfig.build.json');
    expect(screen).toContain('· test\n  · test billing');
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(59);
  });

  it("prints one plain line per step start and end elsewhere, and a failed step's last output", () => {
    const out = terminal();
    Object.assign(out, { isTTY: false });
    const progress = new Progress(out);
    progress.onEvent({ type: 'run.started', runId: 8, steps, affected: ['billing'] });
    progress.onEvent({ type: 'step.started', runId: 8, key: 'test:billing' });
    progress.onEvent({
      type: 'step.log',
      runId: 8,
      key: 'test:billing',
      seq: 1,
      line: 'Expected: 83',
      stream: 'stdout',
    });
    progress.onEvent({
      type: 'step.finished',
      runId: 8,
      key: 'test:billing',
      status: 'failed',
      detail: '1 test failed',
      durationMs: 3000,
    });
    expect(out.text.split('\n')).toEqual([
      'run 8: affected: billing',
      '▸ test billing',
      '✗ test billing 3.0s (1 test failed)',
      '    Expected: 83',
      '',
    ]);
  });
});
