/** Ping against a real wire-protocol server: the stand-in (test/helpers/mongo-standin.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoStandin, startMongoStandin } from '../../test/helpers/mongo-standin.js';
import { freePort } from '../../test/helpers/ports.js';
import { BadInputError, FailedOperationError } from '../errors.js';
import { pingDatabase, withDatabase } from './mongo-connection.js';

let standin: MongoStandin;
beforeAll(async () => {
  standin = await startMongoStandin();
});
afterAll(() => standin?.stop());

describe('pingDatabase', () => {
  it('gets an answer from a server', async () => {
    const { ms } = await pingDatabase(`${standin.uri}/app`, { timeoutMs: 5_000 });
    expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('fails fast on a closed port, naming host:port and not the password', async () => {
    const port = await freePort();
    const started = performance.now();
    const error = await pingDatabase(`mongodb://deploy:Secret-Pass-9@127.0.0.1:${port}/app`, {
      timeoutMs: 500,
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(FailedOperationError);
    const message = (error as Error).message;
    expect(message).toContain(`MongoDB at 127.0.0.1:${port} did not answer within 500 ms`);
    expect(message).not.toContain('Secret-Pass-9');
    expect(message).not.toContain('deploy:');
  });
});

describe('withDatabase', () => {
  it('needs the URI to name a database', async () => {
    await expect(withDatabase(standin.uri, {}, async () => 1)).rejects.toThrow(BadInputError);
    await expect(withDatabase(standin.uri, {}, async () => 1)).rejects.toThrow(
      /names no database: add it as the path/,
    );
  });

  it('uses the URI database and closes after', async () => {
    const name = await withDatabase(`${standin.uri}/shop`, {}, async ({ db }) => db.databaseName);
    expect(name).toBe('shop');
  });
});
