import type { Command } from 'commander';
import { configJUnitWarnings, fileReader } from '../../config/junit-check.js';
import { findConfigFile, loadConfig } from '../../config/load.js';
import { EXIT_OK } from '../exit-codes.js';

export function registerValidate(program: Command, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description(
      'check waggle.yml; exit 0, or exit 2 with one line per problem as "path: message". Suites whose runner will not write their JUnit file are warned about on stderr',
    )
    .option('-c, --config <file>', 'config file (default: waggle.yml here or at the git root)')
    .option('--json', 'print the result as JSON')
    .action((options: { config?: string; json?: boolean }) => {
      const { config, file, root } = loadConfig(findConfigFile(options.config));
      const packages = Object.keys(config.packages).length;
      const environments = Object.keys(config.environments).length;
      // Warnings do not change the exit code: the runner's config may be right in ways text cannot show.
      const warnings = configJUnitWarnings(config, fileReader(root));
      for (const warning of warnings) console.error(`warning: ${warning.path}: ${warning.message}`);
      if (options.json) console.log(JSON.stringify({ valid: true, file, packages, environments, warnings }));
      else
        console.log(`${file} is valid: ${count(packages, 'package')}, ${count(environments, 'environment')}`);
      setExit(EXIT_OK);
    });
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
