import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { loadConfig, parseConfig } from './load.js';

function issuesOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const base = `
name: shop
packages:
  api: { path: api, service: { port: 4000 } }
`;

describe('parseConfig', () => {
  it('fills in defaults', () => {
    const config = parseConfig(base);
    expect(config.trigger.branches).toEqual(['main']);
    expect(config.packages.api?.build).toBe('npm run build --if-present');
    expect(config.packages.api?.service?.health).toBe('/healthz');
    expect(config.packages.api?.test).toMatchObject({ junit: 'reports/junit.xml' });
  });

  it('names the path of a wrong type', () => {
    expect(issuesOf(() => parseConfig(base.replace('port: 4000', 'port: "x"')))).toContain(
      'packages.api.service.port: must be a number, not string',
    );
  });

  it('refuses unknown keys and suggests the one meant', () => {
    const issues = issuesOf(() =>
      parseConfig(
        `${base}environments:\n  prod:\n    hosts: [{ name: a, address: 1.2.3.4, roles: [web] }]\n    stratgy: {}\n`,
      ),
    );
    expect(issues).toEqual(['environments.prod.stratgy: unknown key (did you mean "strategy"?)']);
  });

  it('reports problems inside the matching branch of a union', () => {
    const issues = issuesOf(() =>
      parseConfig(
        `${base}environments:\n  prod:\n    hosts: [{ name: a, address: h, roles: [web] }]\n    strategy:\n      canary:\n        steps: [{ weight: 5, pause: 5 minutes }, { weight: 120 }]\n`,
      ),
    );
    expect(issues).toContain(
      'environments.prod.strategy.canary.steps[0].pause: must be a duration such as 500ms, 30s, 5m or 1h',
    );
    expect(issues.some((line) => line.startsWith('environments.prod.strategy.canary.steps[1].weight:'))).toBe(
      true,
    );
  });

  it('locates YAML syntax errors by line', () => {
    expect(issuesOf(() => parseConfig('name: [unclosed\n'))[0]).toMatch(/^\(line \d+, column \d+\): /);
  });
});

describe('loadConfig', () => {
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-config-'));
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'api', 'package.json'), '{}');
    return dir;
  };

  it('checks that folders exist and names resolve', () => {
    const dir = folder();
    writeFileSync(
      join(dir, 'waggle.yml'),
      `${base}  billing: { path: back-end/billing, dependsOn: [apii] }\nenvironments:\n  production:\n    after: stagin\n    hosts: [{ name: a, address: h, roles: [api] }]\n    strategy: { canary: { steps: [{ weight: 50 }, { weight: 25 }] } }\n`,
    );
    expect(issuesOf(() => loadConfig(join(dir, 'waggle.yml')))).toEqual([
      'packages.billing.path: folder back-end/billing does not exist',
      'packages.billing.dependsOn[0]: no package named "apii" (did you mean "api"?)',
      'environments.production.after: no environment named "stagin"',
      'environments.production.strategy.canary.steps[1].weight: weights must increase',
      'environments.production.strategy.canary.steps[1].weight: the last step must be 100',
    ]);
  });

  it('accepts a valid file', () => {
    const dir = folder();
    writeFileSync(join(dir, 'waggle.yml'), base);
    expect(loadConfig(join(dir, 'waggle.yml')).config.name).toBe('shop');
  });
});
