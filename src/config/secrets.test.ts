import { describe, expect, it } from 'vitest';
import { interpolate, MissingVariableError, secretValues } from './secrets.js';

describe('secrets', () => {
  it('reads secrets and vars from the environment', () => {
    expect(interpolate('https://x/${{ secrets.HOOK }}?v=${{vars.V}}', { HOOK: 'abc123', V: '7' })).toBe(
      'https://x/abc123?v=7',
    );
  });

  it('names a missing variable without showing any value', () => {
    expect(() => interpolate('${{ secrets.NOPE }}', {})).toThrow(MissingVariableError);
    expect(() => interpolate('${{ secrets.NOPE }}', {})).toThrow('environment variable NOPE is not set');
  });

  it('collects the values of referenced secrets only', () => {
    const config = { contacts: [{ slack: '${{ secrets.SLACK }}' }], hosts: [{ address: '${{ vars.IP }}' }] };
    expect(secretValues(config, { SLACK: 'xoxb-secret', IP: '10.0.0.1', OTHER: 'zzz' })).toEqual([
      'xoxb-secret',
    ]);
  });
});
