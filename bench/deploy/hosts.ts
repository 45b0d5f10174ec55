/**
 * The bench's servers: web, api and db, each a network namespace with its own address and sshd
 * (test/helpers/test-hosts.ts), the reference app's MongoDB stand-in on db's address, and for the
 * baselines the nginx Hivenue configured by hand on web.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMongoStandin } from '../../test/helpers/mongo-standin.js';
import { type TestHost, TestHosts } from '../../test/helpers/test-hosts.js';

export const DB_PORT = 27017;
export const SERVICES = { 'ai-model': 4001, platform: 4002, billing: 4003, admin: 4004 } as const;

export interface BenchHosts {
  fixture: TestHosts;
  web: TestHost;
  api: TestHost;
  db: TestHost;
  /** `http://<web's address>` */
  url: string;
  stop(): Promise<void>;
}

export async function startHosts(): Promise<BenchHosts> {
  const fixture = await TestHosts.start(['web', 'api', 'db'], { prefix: 'wbd' });
  try {
    chmodSync(fixture.dir, 0o755); // nginx's workers (nobody) read the site under it, as under /srv
    const host = (name: string) => fixture.hosts[name] as TestHost;
    // Stopped with the hosts: it runs in db's namespace.
    await startMongoStandin({ hosts: fixture, host: 'db', port: DB_PORT });
    return {
      fixture,
      web: host('web'),
      api: host('api'),
      db: host('db'),
      url: `http://${host('web').address}`,
      stop: () => fixture.stop(),
    };
  } catch (error) {
    await fixture.stop();
    throw error;
  }
}

/**
 * nginx as Hivenue wrote it by hand for the baselines: the site from `<web>/hivenue/site`, and
 * `/api/<module>/` to the module's port on api, with the prefix stripped as waggle's router does.
 */
export async function startHandWrittenNginx(hosts: BenchHosts): Promise<void> {
  const prefix = join(hosts.web.root, 'nginx');
  mkdirSync(join(prefix, 'temp'), { recursive: true });
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${prefix}/temp/${kind};`)
    .join('\n');
  const apis = Object.entries(SERVICES)
    .map(
      ([name, port]) =>
        `    location /api/${name}/ { proxy_pass http://${hosts.api.address}:${port}/; proxy_set_header Host $host; }`,
    )
    .join('\n');
  const config = join(prefix, 'nginx.conf');
  writeFileSync(
    config,
    `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log;
events { worker_connections 1024; }
http {
${temp}
  include /etc/nginx/mime.types;
  access_log off;
  server {
    listen 80;
    root ${hosts.web.root}/hivenue/site;
    location / { try_files $uri $uri/ /index.html; }
${apis}
  }
}
`,
  );
  const checked = await hosts.fixture.exec('web', ['nginx', '-t', '-q', '-p', `${prefix}/`, '-c', config]);
  if (checked.code !== 0) throw new Error(`nginx -t: ${checked.stderr}`);
  const nginx = hosts.fixture.spawn('web', ['nginx', '-p', `${prefix}/`, '-c', config, '-g', 'daemon off;']);
  nginx.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`nginx on web: ${chunk}`));
}
