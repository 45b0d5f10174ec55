/** `waggle validate` and `waggle schema` through the real CLI. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waggle } from './helpers/cli.js';

const REFERENCE_CONFIG = new URL('../examples/hivenue/waggle.yml', import.meta.url).pathname;

describe('waggle validate', () => {
  it("accepts Hivenue's waggle.yml", async () => {
    const result = await waggle(['validate', '-c', REFERENCE_CONFIG], { cwd: tmpdir() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('6 packages, 2 environments');
  });

  it('exits 2 naming the path of a wrong type, an unknown key and a missing folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-validate-'));
    mkdirSync(join(dir, 'back-end', 'platform'), { recursive: true });
    writeFileSync(join(dir, 'back-end', 'platform', 'package.json'), '{}');
    writeFileSync(
      join(dir, 'waggle.yml'),
      [
        'name: hivenue',
        'packages:',
        '  platform: { path: back-end/platform, service: { port: "4002" } }',
        '  billing: { path: back-end/billing }',
        'environments:',
        '  staging:',
        '    hosts: [{ name: staging-1, address: 127.0.0.1, roles: [web, api, db] }]',
        '    stratgy: { blueGreen: {} }',
      ].join('\n'),
    );
    const result = await waggle(['validate'], { cwd: dir });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toContain('packages.platform.service.port: must be a number, not string');
    expect(lines).toContain('environments.staging.stratgy: unknown key (did you mean "strategy"?)');
    expect(lines).toContain('packages.billing.path: folder back-end/billing does not exist');
  });

  it('exits 2 when there is no config to find', async () => {
    const result = await waggle(['validate'], { cwd: mkdtempSync(join(tmpdir(), 'waggle-empty-')) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no waggle.yml');
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await waggle(['frobnicate'], { cwd: tmpdir() })).code).toBe(2);
    expect((await waggle(['validate', '--nope'], { cwd: tmpdir() })).code).toBe(2);
  });
});

describe('waggle schema', () => {
  it('prints a JSON Schema with the documented options', async () => {
    const result = await waggle(['schema'], { cwd: tmpdir() });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.properties.packages.description).toContain('packages of the monorepo');
    expect(schema.additionalProperties).toBe(false);
  });
});
