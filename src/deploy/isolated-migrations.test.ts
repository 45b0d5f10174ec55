/**
 * A deploy's migrations run apart from waggle, as the step user: a script can migrate its
 * database, and cannot read waggle's environment or a file of waggle's user.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoStandin, startMongoStandin } from '../../test/helpers/mongo-standin.js';
import { stepUser } from '../exec/step-user.js';
import { runMigrationsApart } from './isolated-migrations.js';

// What a hostile migration would reach for; it records what it got instead of failing.
const REACHING = (key: string) => `
const { readFileSync } = require('node:fs');
const attempt = (read) => { try { read(); return 'read'; } catch (error) { return error.code; } };
exports.up = async (db) => {
  console.log('migrating users');
  await db.collection('reached').insertOne({
    environ: attempt(() => readFileSync('/proc/' + process.ppid + '/environ')),
    key: attempt(() => readFileSync(${JSON.stringify(key)})),
    env: Object.keys(process.env).sort(),
  });
};
`;

describe('migrations run apart from waggle', () => {
  let standin: MongoStandin;
  let client: MongoClient;
  let key: string;
  beforeAll(async () => {
    standin = await startMongoStandin();
    client = await MongoClient.connect(standin.uri);
    const own = mkdtempSync(join(tmpdir(), 'waggle-own-'));
    key = join(own, 'id_ed25519');
    writeFileSync(key, 'PRIVATE KEY', { mode: 0o600 });
  });
  afterAll(async () => {
    await client?.close();
    await standin?.stop();
  });

  /** A folder as a deploy extracts it: in a passable temporary folder, waggle's until handed over. */
  const folder = (files: Record<string, string>) => {
    const out = mkdtempSync(join(tmpdir(), 'waggle-migrations-'));
    chmodSync(out, 0o711);
    const dir = join(out, 'migrations');
    mkdirSync(dir);
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
    return dir;
  };

  it('applies them as the step user, who reaches only the database it is given', async () => {
    const lines: string[] = [];
    const outcome = await runMigrationsApart({
      uri: `${standin.uri}/apart`,
      folder: folder({ '001-users.cjs': REACHING(key) }),
      user: stepUser(),
      log: (line) => lines.push(line),
    });
    expect(outcome.applied.map((a) => a.name)).toEqual(['001-users.cjs']);
    expect(lines).toContain('migrating users');
    const reached = await client.db('apart').collection('reached').findOne({});
    expect(reached).toMatchObject({ environ: 'EACCES', key: 'EACCES' });
    expect(reached?.env).toEqual(['LANG', 'PATH']);
  });

  it('says why a migration failed', async () => {
    await expect(
      runMigrationsApart({
        uri: `${standin.uri}/apart-fails`,
        folder: folder({
          '001-broken.cjs': "exports.up = async () => { throw new Error('column missing'); };",
        }),
        user: stepUser(),
        log: () => {},
      }),
    ).rejects.toThrow(/001-broken\.cjs.*column missing/s);
  });
});
