import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../../package-root.js';
import { git, gitRoot } from '../../workspace/git.js';
import { UsageError } from '../usage-error.js';

const MARK = '# Installed by "waggle hooks install"';
const WAGGLE_BIN = join(PACKAGE_ROOT, 'bin', 'waggle.js');

export function registerHooks(program: Command): void {
  const hooks = program.command('hooks').description('git hooks');
  hooks
    .command('install')
    .description('a pre-push hook: the tests the pushed change affects must pass before the push goes out')
    .option('--force', 'replace a pre-push hook that waggle did not write')
    .action((options: { force?: boolean }) => {
      const root = gitRoot(process.cwd());
      if (!root) throw new UsageError('not in a git repository');
      const relative = git(root, ['rev-parse', '--git-path', 'hooks']);
      const folder = isAbsolute(relative) ? relative : resolve(root, relative);
      const file = join(folder, 'pre-push');
      if (existsSync(file) && !readFileSync(file, 'utf8').includes(MARK) && !options.force) {
        throw new UsageError(`${file} exists and is not waggle's; pass --force to replace it`);
      }
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        file,
        `#!/bin/sh\n${MARK}: the tests a push affects must pass first.\n# Skip once with: git push --no-verify\nexec "${process.execPath}" "${WAGGLE_BIN}" run --until test --no-notify\n`,
      );
      chmodSync(file, 0o755);
      console.log(`installed ${file}: "git push" now runs "waggle run --until test" first`);
    });
}
