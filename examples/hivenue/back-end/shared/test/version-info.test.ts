import { readVersionInfo } from '../src/version-info';

describe('readVersionInfo', () => {
  it('reports the release, commit and colour the deployment set', () => {
    const env = { WAGGLE_RELEASE: 'r42', WAGGLE_COMMIT: '1a2b3c4', WAGGLE_COLOUR: 'green' };

    expect(readVersionInfo('billing', env)).toEqual({
      service: 'billing',
      release: 'r42',
      commit: '1a2b3c4',
      colour: 'green',
    });
  });

  it('falls back to development values outside a deployment', () => {
    expect(readVersionInfo('billing', {})).toEqual({
      service: 'billing',
      release: 'dev',
      commit: 'unknown',
      colour: 'none',
    });
  });
});
