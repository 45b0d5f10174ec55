import type { Command } from 'commander';
import { jsonSchema } from '../../config/schema.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of waggle.yml (for editor completion and checks)')
    .action(() => {
      console.log(JSON.stringify(jsonSchema(), null, 2));
    });
}
