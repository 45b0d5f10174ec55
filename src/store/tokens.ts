/**
 * API tokens, by name and by hash: a token is shown once when issued and only its sha256 is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Connection } from './database.js';
import type { ApiTokenTable, Role } from './schema.js';

/** A token as listed: everything but its hash. */
export type ApiToken = Omit<Selectable<ApiTokenTable>, 'hash'>;

const LISTED = ['id', 'name', 'role', 'created_at', 'last_used_at'] as const;

export class Tokens {
  constructor(private readonly connection: Connection) {}

  /** Makes a token, stores its hash and returns the token itself: the only time it is seen. */
  async issue(name: string, role: Role, at = Date.now()): Promise<string> {
    const token = `wgl_${randomBytes(24).toString('base64url')}`;
    await this.create({ name, role, hash: hashToken(token) }, at);
    return token;
  }

  async create(token: { name: string; role: Role; hash: string }, at = Date.now()): Promise<void> {
    await this.connection.db
      .insertInto('api_tokens')
      .values({ ...token, created_at: at })
      .execute();
  }

  /**
   * The stored token this one hashes to, if any. The lookup compares digests, never the secret
   * itself, so its timing reveals nothing useful.
   */
  byToken(token: string): Promise<ApiToken | undefined> {
    return this.byHash(hashToken(token));
  }

  /** The token with this sha256, if any. */
  byHash(hash: string): Promise<ApiToken | undefined> {
    return this.findBy('hash', hash);
  }

  byName(name: string): Promise<ApiToken | undefined> {
    return this.findBy('name', name);
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
    return this.connection.db.selectFrom('api_tokens').select(LISTED).orderBy('id').execute();
  }

  /** Deletes the token and the dashboard sessions opened with it; false when there is none. */
  async revoke(name: string): Promise<boolean> {
    const token = await this.byName(name);
    if (!token) return false;
    await this.connection.db.deleteFrom('sessions').where('token_id', '=', token.id).execute();
    await this.connection.db.deleteFrom('api_tokens').where('id', '=', token.id).execute();
    return true;
  }

  private findBy(column: 'hash' | 'name', value: string): Promise<ApiToken | undefined> {
    return this.connection.db
      .selectFrom('api_tokens')
      .select(LISTED)
      .where(column, '=', value)
      .executeTakeFirst();
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
