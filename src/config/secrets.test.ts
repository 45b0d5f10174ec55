import { describe, expect, it } from 'vitest';
import { interpolate, MissingVariableError, reservedReferences, secretValues } from './secrets.js';

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

  it("refuses to read waggle's own variables", () => {
    expect(() =>
      interpolate('${{ secrets.WAGGLE_WEBHOOK_SECRET }}', { WAGGLE_WEBHOOK_SECRET: 'hook' }),
    ).toThrow("WAGGLE_WEBHOOK_SECRET: waggle's own variables (WAGGLE_*) cannot be referenced");
  });

  it('finds every reference to a WAGGLE_* variable with its path', () => {
    const config = {
      packages: { api: { env: { A: '${{ vars.WAGGLE_SERVER }}', B: '${{ secrets.NOT_WAGGLE_X }}' } } },
      contacts: [{ name: 'x' }, { webhook: { url: 'u', secret: 'pre-${{secrets.WAGGLE_TOKEN}}' } }],
    };
    expect(reservedReferences(config)).toEqual([
      { path: 'packages.api.env.A', message: "waggle's own variables (WAGGLE_*) cannot be referenced" },
      {
        path: 'contacts[1].webhook.secret',
        message: "waggle's own variables (WAGGLE_*) cannot be referenced",
      },
    ]);
  });
});
