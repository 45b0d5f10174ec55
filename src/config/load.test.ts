import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { loadConfig, parseConfig } from './load.js';
import { readError } from './read.js';

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

  it('says null for a null value, not object', () => {
    expect(issuesOf(() => parseConfig(base.replace('port: 4000', 'port: null')))).toEqual([
      'packages.api.service.port: must be a number, not null',
    ]);
  });

  const production = (lines: string) =>
    `${base}environments:\n  production:\n    hosts: [{ name: a, address: h, roles: [web] }]\n${lines}\n`;

  it.each([
    [
      'approval: { approvers: nassim }',
      'environments.production.approval.approvers: must be a list, not string',
    ],
    [
      'approval: { approvers: [1] }',
      'environments.production.approval.approvers[0]: must be a string, not number',
    ],
    ['approval: manual', 'environments.production.approval: must be "auto" or a mapping, not "manual"'],
    ['approval: { quorum: 1 }', 'environments.production.approval.approvers: is required'],
    ['strategy: {}', 'environments.production.strategy: needs one of blueGreen, canary'],
    [
      'strategy: { canry: {} }',
      'environments.production.strategy.canry: unknown key (did you mean "canary"?)',
    ],
    [
      'strategy: { blueGreen: {}, canary: { steps: [{ weight: 100 }] } }',
      'environments.production.strategy: takes only one of canary, blueGreen',
    ],
    ['strategy: blue-green', 'environments.production.strategy: must be a mapping, not "blue-green"'],
  ])('names the field that is wrong in a union: %s', (line, expected) => {
    expect(issuesOf(() => parseConfig(production(`    ${line}`)))).toEqual([expected]);
  });

  it('reports the canary branch even when it has many problems', () => {
    const issues = issuesOf(() =>
      parseConfig(
        production('    strategy: { canary: { steps: [{ weight: a }, { weight: b }, { weight: c }] } }'),
      ),
    );
    expect(issues).toEqual(
      [0, 1, 2].map(
        (i) => `environments.production.strategy.canary.steps[${i}].weight: must be a number, not string`,
      ),
    );
  });

  it('names the field that is wrong in hosts', () => {
    const hosts = (value: string) =>
      issuesOf(() => parseConfig(`${base}environments:\n  production:\n    hosts: ${value}\n`));
    expect(hosts('{ digitalocean: { tag: prod } }')).toEqual([
      'environments.production.hosts.digitalocean.token: is required',
    ]);
    expect(hosts('[{ name: a, address: h, roles: [web], port: x }]')).toEqual([
      'environments.production.hosts[0].port: must be a number, not string',
    ]);
    expect(hosts('nope')).toEqual(['environments.production.hosts: must be a list or a mapping, not "nope"']);
    expect(hosts('[]')).toEqual(['environments.production.hosts: must not be empty']);
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

describe('paths in waggle.yml', () => {
  const withPackage = (fields: string) => `name: shop\npackages:\n  billing: { ${fields} }\n`;
  const outside = 'must stay inside the package folder (no absolute paths or "..")';
  const outsideRepo = 'must stay inside the repository (no absolute paths or "..")';

  it.each([
    ['path: ../elsewhere', `packages.billing.path: ${outsideRepo}`],
    ['path: /etc', `packages.billing.path: ${outsideRepo}`],
    ['path: "C:\\\\repo"', `packages.billing.path: ${outsideRepo}`],
    ['path: "\\\\server\\\\share"', `packages.billing.path: ${outsideRepo}`],
    ['path: a/../../b', `packages.billing.path: ${outsideRepo}`],
    ['path: ""', 'packages.billing.path: must not be empty'],
    ['path: "api\\0"', 'packages.billing.path: must not hold a NUL byte'],
    ['path: api, outputs: [dist, ../../etc]', `packages.billing.outputs[1]: ${outside}`],
    ['path: api, outputs: [/root]', `packages.billing.outputs[0]: ${outside}`],
    ['path: api, test: { junit: ../junit.xml }', `packages.billing.test.junit: ${outside}`],
    ['path: api, site: { dist: dist/../.. }', `packages.billing.site.dist: ${outside}`],
  ])('refuses %s', (fields, expected) => {
    expect(issuesOf(() => parseConfig(withPackage(fields)))).toEqual([expected]);
  });

  it('refuses an e2e folder outside the repository', () => {
    const text = `${withPackage('path: api')}environments:\n  staging:\n    hosts: [{ name: a, path: /srv/a, roles: [web] }]\n    e2e: { path: ../e2e }\n`;
    expect(issuesOf(() => parseConfig(text))).toEqual([`environments.staging.e2e.path: ${outsideRepo}`]);
  });

  it('keeps "." for a package at the root and ".." that stays inside', () => {
    const config = parseConfig(
      withPackage('path: ., outputs: [dist, build/../lib, .], site: { dist: www/./app }'),
    );
    expect(config.packages.billing?.path).toBe('.');
    expect(config.packages.billing?.outputs).toEqual(['dist', 'build/../lib', '.']);
  });

  it('loadConfig refuses them too, without looking at folders outside the repository', () => {
    const parent = mkdtempSync(join(tmpdir(), 'waggle-paths-'));
    const dir = join(parent, 'repo');
    mkdirSync(join(parent, 'sibling'), { recursive: true });
    mkdirSync(dir);
    writeFileSync(join(dir, 'waggle.yml'), withPackage('path: ../sibling'));
    expect(issuesOf(() => loadConfig(join(dir, 'waggle.yml')))).toEqual([
      `packages.billing.path: ${outsideRepo}`,
    ]);
  });

  it('loadConfig refuses a package folder that is a symbolic link out of the repository', () => {
    const parent = mkdtempSync(join(tmpdir(), 'waggle-paths-'));
    const dir = join(parent, 'repo');
    mkdirSync(join(parent, 'sibling'), { recursive: true });
    writeFileSync(join(parent, 'sibling', 'package.json'), '{}');
    mkdirSync(dir);
    symlinkSync(join(parent, 'sibling'), join(dir, 'billing'));
    writeFileSync(join(dir, 'waggle.yml'), withPackage('path: billing'));
    expect(issuesOf(() => loadConfig(join(dir, 'waggle.yml')))).toEqual([
      'packages.billing.path: billing is a symbolic link out of the repository',
    ]);
  });
});

describe('package env', () => {
  const withEnv = (env: string) => `name: shop\npackages:\n  api: { path: api, env: ${env} }\n`;

  it('defaults to nothing and keeps the values as written', () => {
    expect(parseConfig(withEnv('{}')).packages.api?.env).toEqual({});
    expect(parseConfig('name: shop\npackages:\n  api: { path: api }\n').packages.api?.env).toEqual({});
    expect(
      parseConfig(withEnv('{ NODE_ENV: test, _X1: "${{ secrets.NPM_TOKEN }}" }')).packages.api?.env,
    ).toEqual({ NODE_ENV: 'test', _X1: '${{ secrets.NPM_TOKEN }}' });
  });

  it("refuses names that are not variable names, and waggle's own", () => {
    expect(issuesOf(() => parseConfig(withEnv('{ "1X": a, "A-B": b, WAGGLE_RUN: c, OK: 1 }')))).toEqual([
      'packages.api.env.1X: must be an environment-variable name (letters, digits, "_")',
      'packages.api.env.A-B: must be an environment-variable name (letters, digits, "_")',
      "packages.api.env.WAGGLE_RUN: names starting with WAGGLE_ are waggle's own",
      'packages.api.env.OK: must be a string, not number',
    ]);
  });

  it('refuses a reference to a WAGGLE_* variable anywhere, naming where it is', () => {
    const text = `${withEnv('{ T: "x${{ secrets.WAGGLE_TOKEN }}" }')}contacts:\n  - { slack: "\${{vars.WAGGLE_WEBHOOK_SECRET}}" }\n`;
    const message = "waggle's own variables (WAGGLE_*) cannot be referenced";
    expect(issuesOf(() => parseConfig(text))).toEqual([
      `packages.api.env.T: ${message}`,
      `contacts[0].slack: ${message}`,
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'waggle-env-'));
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'api', 'package.json'), '{}');
    writeFileSync(join(dir, 'waggle.yml'), text);
    expect(issuesOf(() => loadConfig(join(dir, 'waggle.yml')))).toContain(`contacts[0].slack: ${message}`);
  });
});

describe('reading waggle.yml', () => {
  const file = (content: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-read-'));
    writeFileSync(join(dir, 'waggle.yml'), content);
    return join(dir, 'waggle.yml');
  };

  it('refuses a YAML alias bomb in one line', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghi'
        .split('')
        .map((key, i) => `${key}: &${key} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
      'name: *i',
    ].join('\n');
    const issues = issuesOf(() => parseConfig(bomb));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^\(file\): too many YAML aliases/);
    expect(issuesOf(() => loadConfig(file(bomb)))[0]).toMatch(/^\(file\): too many YAML aliases/);
  });

  it('refuses a file over 1 MB before parsing it', () => {
    const big = `name: shop\n# ${'x'.repeat(10 * 1024 * 1024)}\n`;
    expect(issuesOf(() => loadConfig(file(big)))).toEqual([
      '(file): waggle.yml is 10.0 MB; the limit is 1 MB',
    ]);
    expect(issuesOf(() => parseConfig(big))).toEqual(['(file): waggle.yml is 10.0 MB; the limit is 1 MB']);
  });

  it('says so when waggle.yml is a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-read-'));
    mkdirSync(join(dir, 'waggle.yml'));
    expect(issuesOf(() => loadConfig(join(dir, 'waggle.yml')))).toEqual([
      `(file): cannot read ${join(dir, 'waggle.yml')}: it is a folder, not a file`,
    ]);
  });

  it('turns a permission error into one line, keeping the cause', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/srv/waggle.yml'"), {
      code: 'EACCES',
    });
    const error = readError('/srv/waggle.yml', denied);
    expect(error.issues).toEqual([
      { path: '(file)', message: 'cannot read /srv/waggle.yml: permission denied' },
    ]);
    expect(error.cause).toBe(denied);
  });
});
