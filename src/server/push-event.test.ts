import { describe, expect, it } from 'vitest';
import { decidePush } from './push-event.js';

const sha = 'a'.repeat(40);
const push = (ref: string, extra: object = {}) => ({
  ref,
  before: 'b'.repeat(40),
  after: sha,
  head_commit: { message: 'fix totals', author: { name: 'Nassim' } },
  repository: { full_name: 'hivenue/hivenue' },
  ...extra,
});

describe('decidePush', () => {
  it('starts a run for a watched branch', () => {
    expect(decidePush(push('refs/heads/riipen'), ['riipen'])).toEqual({
      run: {
        branch: 'riipen',
        sha,
        before: 'b'.repeat(40),
        author: 'Nassim',
        message: 'fix totals',
        repository: 'hivenue/hivenue',
      },
    });
  });
  it.each([
    [push('refs/heads/main'), /branch main is not watched/],
    [push('refs/tags/v1.0.0'), /tag v1.0.0/],
    [push('refs/heads/riipen', { deleted: true, after: '0'.repeat(40) }), /deleted/],
    [push('refs/heads/riipen', { after: '$(touch /tmp/x)' }), /not a commit id/],
    [{ zen: 'Keep it logically awesome.' }, /not a push payload/],
  ])('ignores %#', (payload, reason) => {
    const decision = decidePush(payload, ['riipen']);
    expect('ignore' in decision && decision.ignore).toMatch(reason);
  });
});
