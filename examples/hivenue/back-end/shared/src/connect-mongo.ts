import { MongoClient } from 'mongodb';

export interface ConnectMongoOptions {
  /** Shown in the server's logs and currentOp, to tell services apart. */
  appName?: string;
  /** How long to look for a reachable server before giving up. */
  serverSelectionTimeoutMS?: number;
}

// The driver's default of 30 s would keep a misconfigured service starting, and its health
// check hanging, for far longer than any orchestrator waits.
const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5_000;

/** Connects to MongoDB (or anything speaking its wire protocol) and fails fast if it is not there. */
export async function connectMongo(uri: string, options: ConnectMongoOptions = {}): Promise<MongoClient> {
  const client = new MongoClient(uri, {
    appName: options.appName,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS,
  });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return client;
}
