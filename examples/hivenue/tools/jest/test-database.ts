// Gives a test file a database of its own on the run's MongoDB server, so test files can run
// in parallel without seeing each other's documents.
import { randomBytes } from 'node:crypto';
import { type Db, MongoClient } from 'mongodb';

export interface TestDatabase {
  client: MongoClient;
  db: Db;
  /** Drops the database and closes the connection. */
  dispose(): Promise<void>;
}

export async function openTestDatabase(label: string): Promise<TestDatabase> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run tests through jest with the shared preset');

  // Under jest's 5 s hook timeout, so an unreachable server fails with its own error, not a timeout.
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.close();
    throw new Error(`cannot reach MongoDB at MONGODB_URI=${withoutPassword(uri)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = client.db(`test-${label}-${randomBytes(4).toString('hex')}`);

  return {
    client,
    db,
    async dispose() {
      await db.dropDatabase();
      await client.close();
    },
  };
}

function withoutPassword(uri: string): string {
  return uri.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
