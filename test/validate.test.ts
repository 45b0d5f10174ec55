/** `waggle validate` and `waggle schema` through the real CLI. */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, WAGGLE_BIN, waggle } from './helpers/cli.js';

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

describe('waggle validate on hostile input', () => {
  const repo = (config: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-hostile-'));
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'api', 'package.json'), '{}');
    writeFileSync(join(dir, 'waggle.yml'), config);
    return dir;
  };

  it('exits 2 on paths that leave the repository or the package folder', async () => {
    const dir = repo(
      'name: shop\npackages:\n  api: { path: api, outputs: [dist, ../../../root/.ssh], test: { junit: /etc/passwd } }\n  up: { path: .. }\n',
    );
    const result = await waggle(['validate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'packages.api.outputs[1]: must stay inside the package folder (no absolute paths or "..")',
      'packages.api.test.junit: must stay inside the package folder (no absolute paths or "..")',
      'packages.up.path: must stay inside the repository (no absolute paths or "..")',
    ]);
  });

  it("exits 2 on a reference to waggle's own secrets", async () => {
    const dir = repo(
      'name: shop\npackages:\n  api: { path: api, env: { T: "${{ secrets.WAGGLE_TOKEN }}" } }\n',
    );
    const result = await waggle(['validate'], { cwd: dir, env: { WAGGLE_TOKEN: 'wgl_secret' } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      "packages.api.env.T: waggle's own variables (WAGGLE_*) cannot be referenced",
    );
  });

  it('exits 2 with one line on a YAML alias bomb', async () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghi'
        .split('')
        .map((key, i) => `${key}: &${key} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
    ].join('\n');
    const result = await waggle(['validate'], { cwd: repo(bomb) });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^\(file\): too many YAML aliases[^\n]*$/);
  });

  it('exits 2 when waggle.yml is over 1 MB', async () => {
    const result = await waggle(['validate'], {
      cwd: repo(`name: shop\n#${'x'.repeat(10 * 1024 * 1024)}\n`),
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('(file): waggle.yml is 10.0 MB; the limit is 1 MB');
  });

  it('exits 2 when waggle.yml is a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-hostile-'));
    mkdirSync(join(dir, 'waggle.yml'));
    const result = await waggle(['validate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `(file): cannot read ${join(dir, 'waggle.yml')}: it is a folder, not a file`,
    );
  });

  it('exits 2 when waggle.yml cannot be read', async () => {
    const dir = repo('name: shop\npackages:\n  api: { path: api }\n');
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'waggle.yml'), 0o000);
    // root reads anything, so as root the CLI runs as nobody.
    const asUser =
      process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const result = await run([...asUser, process.execPath, WAGGLE_BIN, 'validate'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`(file): cannot read ${join(dir, 'waggle.yml')}: permission denied`);
  });
});

describe('waggle runs --server', () => {
  it('exits 2 on a server that is not an http(s) URL, from the option or WAGGLE_SERVER', async () => {
    const option = await waggle(['runs', '--server', 'not-a-url'], { cwd: tmpdir() });
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('--server must be a URL such as http(s)://host[:port], not "not-a-url"');
    const variable = await waggle(['runs', 'list'], { cwd: tmpdir(), env: { WAGGLE_SERVER: 'ftp://host' } });
    expect(variable.code).toBe(2);
    expect(variable.stderr).toContain(
      'WAGGLE_SERVER must be a URL such as http(s)://host[:port], not "ftp://host"',
    );
  });
});

function run(argv: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(argv[0] as string, argv.slice(1), { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('waggle schema', () => {
  it('prints a JSON Schema with the documented options', async () => {
    const result = await waggle(['schema'], { cwd: tmpdir() });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.properties.packages.description).toContain('packages of the monorepo');
    expect(schema.additionalProperties).toBe(false);
  });
});
