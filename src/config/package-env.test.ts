import { describe, expect, it } from 'vitest';
import { packageEnv, packageSecretValues } from './package-env.js';
import { MissingVariableError } from './secrets.js';

const pkg = {
  env: {
    NODE_ENV: 'test',
    NPM_TOKEN: '${{ secrets.NPM_TOKEN }}',
    API_URL: 'https://${{ vars.API_HOST }}/v1',
  },
};
const server = { NPM_TOKEN: 'npm_s3cret', API_HOST: 'api.example', WAGGLE_TOKEN: 'wgl_x', HOME: '/root' };

describe('packageEnv', () => {
  it("is the package's variables with references read from the environment, nothing else", () => {
    expect(packageEnv(pkg, server)).toEqual({
      NODE_ENV: 'test',
      NPM_TOKEN: 'npm_s3cret',
      API_URL: 'https://api.example/v1',
    });
    expect(packageEnv({ env: {} }, server)).toEqual({});
  });

  it('names a variable that is not set', () => {
    expect(() => packageEnv(pkg, { API_HOST: 'h' })).toThrow(MissingVariableError);
    expect(() => packageEnv(pkg, { API_HOST: 'h' })).toThrow('environment variable NPM_TOKEN is not set');
  });

  it("never reads waggle's own variables, even if a config slipped past validation", () => {
    expect(() => packageEnv({ env: { T: '${{ secrets.WAGGLE_TOKEN }}' } }, server)).toThrow(
      "WAGGLE_TOKEN: waggle's own variables (WAGGLE_*) cannot be referenced",
    );
  });
});

describe('packageSecretValues', () => {
  it('is the values of the secrets the package references, not of its vars', () => {
    expect(packageSecretValues(pkg, server)).toEqual(['npm_s3cret']);
    expect(packageSecretValues({ env: {} }, server)).toEqual([]);
  });
});
