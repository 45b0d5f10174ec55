import { connectMongo } from '../src/connect-mongo';

describe('connectMongo', () => {
  it('connects to the server named by the URI', async () => {
    const client = await connectMongo(process.env.MONGODB_URI!);
    try {
      await expect(client.db('admin').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
  });

  it('fails fast when nothing listens there', async () => {
    // Nothing listens on port 1 of loopback.
    await expect(connectMongo('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 300 })).rejects.toThrow();
  });
});
