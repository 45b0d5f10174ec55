/** `waggle init` on the layouts teams have, then `waggle validate` on what it wrote, through the real CLI. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waggle } from './helpers/cli.js';
import { FIXTURES, repoFrom } from './helpers/repo.js';

describe('waggle init on a MEAN repository', () => {
  it('writes a config that validates, warns where a runner will not write JUnit, and ignores .waggle/', async () => {
    const repo = repoFrom(join(FIXTURES, 'detect-mean'));
    mkdirSync(join(repo, '.waggle'));
    const init = await waggle(['init'], { cwd: join(repo, 'server') });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`wrote ${join(repo, 'waggle.yml')}: mean-shop`);
    expect(init.stdout).toContain('added .waggle/ to .gitignore');
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toBe('.waggle/\n');
    // Until karma.conf.js gets a junit reporter, the client suite's file will not be written.
    const karma = 'warning: packages.mean-shop.test[0].junit: reports/client/junit.xml will not be written';
    expect(init.stderr).toContain(karma);

    const validate = await waggle(['validate'], { cwd: repo });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('is valid: 1 package, 0 environments');
    expect(validate.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(`${karma}: client/karma.conf.js has no junit reporter`),
    ]);
    const json = await waggle(['validate', '--json'], { cwd: repo });
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: true,
      warnings: [{ path: 'packages.mean-shop.test[0].junit' }],
    });

    expect((await waggle(['init'], { cwd: repo })).code).toBe(2);
    expect((await waggle(['init', '--force'], { cwd: repo })).code).toBe(0);
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toBe('.waggle/\n');
  });

  it('leaves .gitignore alone when there is no .waggle folder', async () => {
    const repo = repoFrom(join(FIXTURES, 'detect-express'));
    const init = await waggle(['init'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(join(repo, '.gitignore'))).toBe(false);
    const validate = await waggle(['validate'], { cwd: repo });
    expect(validate.code, validate.stderr).toBe(0);
    // jest-junit is not installed yet: init says so in a comment and validate warns.
    expect(validate.stderr).toContain('jest-junit is not in the devDependencies');
  });

  it('finds the server suite a test:* script runs and the database its code reads (Angular-Full-Stack)', async () => {
    const repo = repoFrom(join(FIXTURES, 'detect-fullstack'));
    const init = await waggle(['init'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    const written = readFileSync(join(repo, 'waggle.yml'), 'utf8');
    expect(written).toMatch(
      /name: client\n\s+run: \[ npx, ng, test, --watch=false, --browsers=ChromeHeadlessCI \]/,
    );
    expect(written).toContain(
      'run: [ npm, run, test:be, --, --ci, --roots=server, --reporters=default, --reporters=jest-junit ]',
    );
    expect(written).toMatch(/services: \[ mongodb \]\n\s+inputs: \[ server \]/);
    expect(written).toContain('MONGODB_TEST_URI: mongodb://127.0.0.1:27017/test');
    const validate = await waggle(['validate'], { cwd: repo });
    expect(validate.code, validate.stderr).toBe(0);
    // Until karma.conf.js and jest-junit exist, neither suite writes its JUnit file: both are named.
    expect(validate.stderr).toContain('packages.angular-full-stack.test[0].junit');
    expect(validate.stderr).toContain('packages.angular-full-stack.test[1].junit');
  });
});

describe('waggle init without a package.json at the root', () => {
  it('exits 2 and says how to make the root a workspaces root over the packages it found', async () => {
    const repo = repoFrom(join(FIXTURES, 'detect-no-root'));
    const init = await waggle(['init'], { cwd: repo });
    expect(init.code).toBe(2);
    expect(init.stderr).toContain(`waggle: ${repo} has no package.json`);
    expect(init.stderr).toContain('api/ and client/ each have their own package.json');
    expect(init.stderr).toContain('{"private": true, "workspaces": ["api", "client"]}');
    expect(init.stderr).toContain('run "npm install" at the root');
    expect(existsSync(join(repo, 'waggle.yml'))).toBe(false);
  });
});
