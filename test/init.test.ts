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
    expect(validate.stdout).toContain('is valid: 1 packages, 0 environments');
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
});
