/** A failed run's notification, as tests of the channels and renderers start from. */
import type { Notification } from '../../src/notify/notification.js';

export function failedRunNotification(changes: Partial<Notification> = {}): Notification {
  return {
    event: 'run.failed',
    project: 'hivenue',
    repository: 'hivenue/hivenue',
    branch: 'riipen',
    sha: 'abc1234def5678900000000000000000000000ff',
    author: 'Nassim',
    commitMessage: 'Round invoices half up\n\nThe billing service rounded down.',
    state: 'failure',
    title: '[hivenue] Run 42 failed on riipen (abc1234): 1 test failed',
    failedTests: [
      { package: 'billing', suite: 'Invoices', name: 'rounds half up', message: 'Expected 10.5 to equal 11' },
    ],
    tests: { passed: 39, failed: 1, skipped: 2 },
    durationSeconds: 83.4,
    url: 'https://ci.example/runs/42',
    ...changes,
  };
}
