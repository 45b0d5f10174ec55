import type { Command } from 'commander';

export function registerDemo(program: Command, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('placeholder')
    .action(() => setExit(1));
}
