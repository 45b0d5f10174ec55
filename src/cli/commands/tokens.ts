import type { Command } from 'commander';
import { ROLES, type Role } from '../../store/schema.js';
import { Store } from '../../store/store.js';
import { waggleHome } from '../home.js';
import { UsageError } from '../usage-error.js';

export function registerTokens(program: Command): void {
  const tokens = program
    .command('tokens')
    .description("API tokens for the server's API and dashboard (stored hashed in the local store)");
  const openStore = () => Store.open(waggleHome(process.cwd()));

  tokens
    .command('create <name>')
    .description('make a token and print it once: keep it, it cannot be shown again')
    .option(
      '--role <role>',
      `${ROLES.join(', ')}: viewer reads; operator reruns and cancels; approver approves; admin all`,
      'viewer',
    )
    .action(async (name: string, options: { role: string }) => {
      if (!(ROLES as readonly string[]).includes(options.role))
        throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const store = openStore();
      try {
        if (await store.tokens.byName(name))
          throw new UsageError(`a token named "${name}" exists; revoke it first or choose another name`);
        console.log(await store.tokens.issue(name, options.role as Role));
        console.error(
          `token "${name}" (${options.role}) created; use it as WAGGLE_TOKEN or to sign in to the dashboard`,
        );
      } finally {
        await store.close();
      }
    });

  tokens
    .command('list')
    .description('tokens by name and role (never the tokens themselves)')
    .action(async () => {
      const store = openStore();
      try {
        for (const row of await store.tokens.list()) {
          const used = row.last_used_at ? new Date(row.last_used_at).toISOString() : 'never used';
          console.log(`${row.name.padEnd(20)} ${row.role.padEnd(9)} ${used}`);
        }
      } finally {
        await store.close();
      }
    });

  tokens
    .command('revoke <name>')
    .description('delete a token and its dashboard sessions')
    .action(async (name: string) => {
      const store = openStore();
      try {
        if (!(await store.tokens.revoke(name))) throw new UsageError(`no token named "${name}"`);
        console.error(`token "${name}" revoked`);
      } finally {
        await store.close();
      }
    });
}
