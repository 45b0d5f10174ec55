import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { initialConfig } from '../../config/detect.js';
import { CONFIG_FILE, loadConfig } from '../../config/load.js';
import { currentBranch, gitRoot } from '../../workspace/git.js';
import { UsageError } from '../usage-error.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a waggle.yml detected from the repository (npm workspaces, Angular, services)')
    .option('--force', 'overwrite an existing waggle.yml')
    .action((options: { force?: boolean }) => {
      const root = gitRoot(process.cwd()) ?? process.cwd();
      const file = join(root, CONFIG_FILE);
      if (existsSync(file) && !options.force)
        throw new UsageError(`${file} exists; edit it, or pass --force to replace it`);
      const branch = gitRoot(root) ? currentBranch(root) : 'main';
      writeFileSync(file, initialConfig(root, branch === 'detached' ? 'main' : branch));
      const { config } = loadConfig(file);
      console.log(`wrote ${file}: ${Object.keys(config.packages).join(', ')}`);
      console.log('next: check ports and commands, add contacts and environments, then "waggle run"');
    });
}
