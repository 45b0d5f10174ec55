import { describe, expect, it } from 'vitest';
import { failedRunNotification } from '../../test/helpers/notification.js';
import { duration } from './facts.js';
import { plainText } from './plain-text.js';

const notification = failedRunNotification;

describe('plainText', () => {
  it('gives the facts a reader needs', () => {
    expect(plainText(notification())).toBe(
      [
        '[hivenue] Run 42 failed on riipen (abc1234): 1 test failed',
        '',
        'Repository: hivenue/hivenue',
        'Branch:     riipen',
        'Commit:     abc1234 by Nassim: Round invoices half up',
        'Result:     failed (39 passed, 1 failed, 2 skipped)',
        'Duration:   1m 23s',
        'Details:    https://ci.example/runs/42',
        '',
        'Failed tests (1):',
        '  ✗ billing › Invoices › rounds half up',
        '      Expected 10.5 to equal 11',
      ].join('\n'),
    );
  });

  it('lists the first few failures, each message cut short, and counts the rest', () => {
    const failedTests = Array.from({ length: 8 }, (_, i) => ({
      package: 'web',
      suite: '',
      name: `case ${i}`,
      message: `${'x'.repeat(2000)}\n${Array.from({ length: 20 }, (_, l) => `line ${l}`).join('\n')}`,
    }));
    const text = plainText(notification({ failedTests }));
    expect(text).toContain('Failed tests (8):');
    expect(text).toContain('  ✗ web › case 4');
    expect(text).not.toContain('case 5');
    expect(text).toContain('  … and 3 more (https://ci.example/runs/42)');
    expect(text).not.toContain('x'.repeat(501));
    expect(text.length).toBeLessThan(4000);
  });

  it('names the failed steps of a failure without failing tests', () => {
    const text = plainText(
      notification({ failedTests: [], failedSteps: [{ name: 'build web', detail: 'exited with 2' }] }),
    );
    expect(text).toContain('Failed steps:\n  ✗ build web: exited with 2');
  });

  it('leaves out what a started run does not have yet', () => {
    const { durationSeconds: _, url: __, ...started } = notification({ state: 'pending', failedTests: [] });
    const text = plainText({ ...started, tests: { passed: 0, failed: 0, skipped: 0 } });
    expect(text).toMatch(/^Result: {5}in progress$/m);
    expect(text).not.toContain('Duration');
    expect(text).not.toContain('Details');
  });
});

describe('duration', () => {
  it.each([
    [4.24, '4.2s'],
    [59.96, '1m 0s'],
    [299.6, '5m 0s'],
    [3725, '1h 2m'],
  ])('%s s reads %s', (seconds, text) => {
    expect(duration(seconds)).toBe(text);
  });
});
