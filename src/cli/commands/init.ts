import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { initialConfig, NoRootPackageError } from '../../config/detect.js';
import { configJUnitWarnings, fileReader } from '../../config/junit-check.js';
import { CONFIG_FILE, loadConfig } from '../../config/load.js';
import { currentBranch, gitRoot } from '../../workspace/git.js';
import { UsageError } from '../usage-error.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'write a waggle.yml detected from the repository (packages, sites, services, test suites, databases)',
    )
    .option('--force', 'overwrite an existing waggle.yml')
    .action((options: { force?: boolean }) => {
      const root = gitRoot(process.cwd()) ?? process.cwd();
      const file = join(root, CONFIG_FILE);
      if (existsSync(file) && !options.force)
        throw new UsageError(`${file} exists; edit it, or pass --force to replace it`);
      const branch = gitRoot(root) ? currentBranch(root) : 'main';
      const text = detectedConfig(root, branch === 'detached' ? 'main' : branch);
      writeFileSync(file, text);
      const { config } = loadConfig(file);
      console.log(`wrote ${file}: ${Object.keys(config.packages).join(', ')}`);
      if (ignoreWaggleFolder(root)) console.log('added .waggle/ to .gitignore');
      for (const issue of configJUnitWarnings(config, fileReader(root)))
        console.error(`warning: ${issue.path}: ${issue.message}`);
      const todos = text.split('\n').filter((line) => /^\s*# TODO/.test(line)).length;
      console.log(
        `next: settle the ${todos} TODO${todos === 1 ? '' : 's'} in it, check ports and commands, then "waggle validate" and "waggle run"`,
      );
    });
}

/** The config init writes; a repository waggle cannot build yet is bad input, with the way there. */
function detectedConfig(root: string, branch: string): string {
  try {
    return initialConfig(root, branch);
  } catch (error) {
    if (error instanceof NoRootPackageError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * waggle keeps its state outside the repository, but an older waggle (or WAGGLE_HOME pointing
 * inside) left a .waggle folder here: keep git from committing it. Returns whether it wrote.
 */
function ignoreWaggleFolder(root: string): boolean {
  const folder = join(root, '.waggle');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return false;
  const file = join(root, '.gitignore');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (ignoresWaggle(text)) return false;
  appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}.waggle/\n`);
  return true;
}

/** Whether a .gitignore has a line for the .waggle folder at the root. */
function ignoresWaggle(gitignore: string): boolean {
  return gitignore.split(/\r?\n/).some((line) => /^\s*(\/|\*\*\/)?\.waggle(\/|\/\*\*?)?\s*$/.test(line));
}
