/** Dashboard sessions: each opened with a token, until it expires or its user signs out. */
import type { Connection } from './database.js';
import type { Role } from './schema.js';

export interface NewSession {
  id: string;
  tokenId: number;
  /** What every form post of the session must echo. */
  csrf: string;
  createdAt: number;
  expiresAt: number;
}

/** A session that has not expired, with the token it was opened with. */
export interface LiveSession {
  csrf: string;
  expiresAt: number;
  tokenId: number;
  name: string;
  role: Role;
}

export class Sessions {
  constructor(private readonly connection: Connection) {}

  async create(session: NewSession): Promise<void> {
    await this.connection.db
      .insertInto('sessions')
      .values({
        id: session.id,
        token_id: session.tokenId,
        csrf: session.csrf,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  /** The session with this id unless it expired before `now`. */
  async live(id: string, now: number): Promise<LiveSession | undefined> {
    const row = await this.connection.db
      .selectFrom('sessions')
      .innerJoin('api_tokens', 'api_tokens.id', 'sessions.token_id')
      .select(['sessions.csrf', 'sessions.expires_at', 'api_tokens.id', 'api_tokens.name', 'api_tokens.role'])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
    if (!row || row.expires_at < now) return undefined;
    return { csrf: row.csrf, expiresAt: row.expires_at, tokenId: row.id, name: row.name, role: row.role };
  }

  /** Forgets the sessions that expired before `now`. */
  async removeExpired(now: number): Promise<void> {
    await this.connection.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  }

  async remove(id: string): Promise<void> {
    await this.connection.db.deleteFrom('sessions').where('id', '=', id).execute();
  }
}
