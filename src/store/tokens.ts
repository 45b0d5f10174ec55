/** API tokens, by name and by hash: the token itself is never stored. */
import type { Selectable } from 'kysely';
import type { Connection } from './database.js';
import type { ApiTokenTable, Role } from './schema.js';

/** A token as listed: everything but its hash. */
export type ApiToken = Omit<Selectable<ApiTokenTable>, 'hash'>;

export class Tokens {
  constructor(private readonly connection: Connection) {}

  async create(token: { name: string; role: Role; hash: string }, at = Date.now()): Promise<void> {
    await this.connection.db
      .insertInto('api_tokens')
      .values({ ...token, created_at: at })
      .execute();
  }

  /** The token with this sha256, if any. */
  byHash(hash: string): Promise<ApiToken | undefined> {
    return this.connection.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'role', 'created_at', 'last_used_at'])
      .where('hash', '=', hash)
      .executeTakeFirst();
  }

  byName(name: string): Promise<ApiToken | undefined> {
    return this.connection.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'role', 'created_at', 'last_used_at'])
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async markUsed(id: number, at = Date.now()): Promise<void> {
    await this.connection.db
      .updateTable('api_tokens')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .execute();
  }

  /** Every token, oldest first. */
  list(): Promise<ApiToken[]> {
    return this.connection.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'role', 'created_at', 'last_used_at'])
      .orderBy('id')
      .execute();
  }

  /** Deletes the token and the dashboard sessions opened with it; false when there is none. */
  async revoke(name: string): Promise<boolean> {
    const token = await this.byName(name);
    if (!token) return false;
    await this.connection.db.deleteFrom('sessions').where('token_id', '=', token.id).execute();
    await this.connection.db.deleteFrom('api_tokens').where('id', '=', token.id).execute();
    return true;
  }
}
