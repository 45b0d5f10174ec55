import type { Command } from 'commander';
import { findConfigFile, loadConfig } from '../../config/load.js';
import { EXIT_OK } from '../exit-codes.js';

export function registerValidate(program: Command, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check waggle.yml; exit 0, or exit 2 with one line per problem as "path: message"')
    .option('-c, --config <file>', 'config file (default: waggle.yml here or at the git root)')
    .option('--json', 'print the result as JSON')
    .action((options: { config?: string; json?: boolean }) => {
      const { config, file } = loadConfig(findConfigFile(options.config));
      const packages = Object.keys(config.packages).length;
      const environments = Object.keys(config.environments).length;
      if (options.json) console.log(JSON.stringify({ valid: true, file, packages, environments }));
      else console.log(`${file} is valid: ${packages} packages, ${environments} environments`);
      setExit(EXIT_OK);
    });
}
