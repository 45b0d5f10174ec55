/**
 * Connecting to an environment's MongoDB for the deploy tasks (ping, backup, restore, migrations),
 * from this process through the official driver: the waggle machine reaches the db host's address,
 * so nothing runs over SSH and a real server or the stand-in drop in alike.
 */
import { performance } from 'node:perf_hooks';
import {
  type Db,
  MongoClient,
  type MongoClientOptions,
  MongoNetworkError,
  MongoServerSelectionError,
} from 'mongodb';
import { BadInputError, FailedOperationError, WaggleError } from '../errors.js';
import { type MongoTarget, mongoTarget } from './mongo-uri.js';

export interface ConnectOptions {
  /** How long to wait for the server to answer at all, in ms (default 10 s). */
  timeoutMs?: number;
}

export interface Connected {
  db: Db;
  client: MongoClient;
  target: MongoTarget & { database: string };
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Round trip of a `ping` to the URI's server, or a FailedOperationError naming its host:port. */
export async function pingDatabase(uri: string, options: ConnectOptions = {}): Promise<{ ms: number }> {
  const target = mongoTarget(uri);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A ping may also hang once connected: here, unlike a long backup or index build, a socket
  // silent for the whole limit means no answer.
  const client = await connect(uri, target, timeoutMs, { socketTimeoutMS: timeoutMs });
  try {
    const started = performance.now();
    await client.db().command({ ping: 1 });
    return { ms: Math.round(performance.now() - started) };
  } catch (error) {
    throw unreachable(target, timeoutMs, error);
  } finally {
    await client.close();
  }
}

/** Runs `use` against the URI's database, closing the connection after. */
export async function withDatabase<T>(
  uri: string,
  options: ConnectOptions,
  use: (connected: Connected) => Promise<T>,
): Promise<T> {
  const target = mongoTarget(uri);
  const { database } = target;
  if (database === undefined)
    throw new BadInputError(
      `the MongoDB URI for ${target.hosts} names no database: add it as the path, mongodb://host:port/<database>`,
    );
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = await connect(uri, target, timeoutMs);
  try {
    return await use({ db: client.db(database), client, target: { ...target, database } });
  } finally {
    await client.close();
  }
}

async function connect(
  uri: string,
  target: MongoTarget,
  timeoutMs: number,
  extra: MongoClientOptions = {},
): Promise<MongoClient> {
  let client: MongoClient;
  try {
    client = new MongoClient(uri, {
      appName: 'waggle',
      serverSelectionTimeoutMS: timeoutMs,
      connectTimeoutMS: timeoutMs,
      ...extra,
    });
  } catch (error) {
    throw new BadInputError(`the MongoDB URI for ${target.hosts} is not valid: ${reason(target, error)}`);
  }
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.close().catch(() => {});
    throw unreachable(target, timeoutMs, error);
  }
}

function unreachable(target: MongoTarget, timeoutMs: number, error: unknown): FailedOperationError {
  const why = reason(target, error);
  // The driver's errors keep the client's topology, not the URI; still, the cause is for --verbose
  // only and the message is what people see.
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError)
    return new FailedOperationError(
      `MongoDB at ${target.hosts} did not answer within ${timeoutMs} ms: ${why}`,
      {
        cause: error,
      },
    );
  return new FailedOperationError(`MongoDB at ${target.hosts}: ${why}`, { cause: error });
}

/**
 * An error met while `doing` something to the database, as a FailedOperationError naming where;
 * waggle's own errors pass as they are.
 */
export function failure(target: MongoTarget, doing: string, error: unknown): WaggleError {
  if (error instanceof WaggleError) return error;
  return new FailedOperationError(`${doing} at ${target.hosts} failed: ${reason(target, error)}`, {
    cause: error,
  });
}

/** An error's message, the URI's password hidden. */
export function reason(target: MongoTarget, error: unknown): string {
  return target.redact(error instanceof Error ? error.message : String(error));
}
