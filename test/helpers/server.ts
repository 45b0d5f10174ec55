/** A real `waggle serve` inside the test process: its own state folder, a random port on 127.0.0.1. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createServer, type ServerOptions, type WaggleServer } from '../../src/server/server.js';
import { Store } from '../../src/store/store.js';

export interface TestServer {
  server: WaggleServer;
  store: Store;
  /** The server's state folder: its database, mirror, workspaces and caches. */
  home: string;
  url: string;
  close(): Promise<void>;
}

export async function startTestServer(
  repo: string,
  webhookSecret: string,
  options: Partial<Pick<ServerOptions, 'env' | 'notifyRetry' | 'kinds'>> = {},
): Promise<TestServer> {
  const home = mkdtempSync(join(tmpdir(), 'waggle-server-'));
  const store = Store.open(home);
  const configFile = join(repo, 'waggle.yml');
  const server = await createServer({
    store,
    home,
    config: loadConfig(configFile).config,
    configFile,
    webhookSecret,
    ...options,
  });
  const url = await server.listen(0, '127.0.0.1');
  return {
    server,
    store,
    home,
    url,
    async close() {
      await server.close();
      await store.close();
    },
  };
}
