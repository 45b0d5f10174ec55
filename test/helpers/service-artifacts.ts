/** Tarballs of tiny Node services, as the package step makes them, for deploy tests. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A service answering on PORT: `/healthz` with `health` (200 or what it is told), any other path
 * with its release name and which of SECRET_NAMES it found in its environment.
 */
export function serviceArtifact(
  dir: string,
  release: string,
  health = 200,
): { file: string; sha256: string } {
  const src = mkdtempSync(join(dir, `${release}-`));
  writeFileSync(
    join(src, 'index.js'),
    `const http = require('node:http');
console.log('starting ${release}');
if (${health} !== 200) console.error('database unreachable: connect ECONNREFUSED');
http.createServer((req, res) => {
  if (req.url === '/healthz') return res.writeHead(${health}).end(${health} === 200 ? 'ok' : 'db down');
  if (req.url === '/db') {
    // Reaches the database host the service was given, as the real services do through the driver.
    const { hostname, port } = new URL(process.env.MONGODB_URI);
    const socket = require('node:net').connect(Number(port), hostname);
    socket.setTimeout(2000, () => socket.destroy(new Error('timed out')));
    socket.on('connect', () => { socket.end(); res.end(JSON.stringify({ reached: hostname + ':' + port })); });
    socket.on('error', (e) => res.writeHead(502).end(JSON.stringify({ error: e.message, uri: hostname + ':' + port })));
    return;
  }
  res.end(JSON.stringify({ release: '${release}', cwd: process.cwd(), secret: process.env.BILLING_KEY ?? null }));
}).listen(Number(process.env.PORT), process.env.HOST ?? '0.0.0.0');
`,
  );
  const file = join(dir, `${release}.tgz`);
  execFileSync('tar', ['-czf', file, '-C', src, '.']);
  return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
}

/** A built Angular-like site: index.html naming the release, and a hashed asset. */
export function siteArtifact(dir: string, release: string): { file: string; sha256: string } {
  const src = mkdtempSync(join(dir, `site-${release}-`));
  writeFileSync(
    join(src, 'index.html'),
    `<!doctype html><title>${release}</title><app-root>${release}</app-root>`,
  );
  writeFileSync(join(src, 'main.1a2b3c4d.js'), `console.log(${JSON.stringify(release)});`);
  const file = join(dir, `site-${release}.tgz`);
  execFileSync('tar', ['-czf', file, '-C', src, '.']);
  return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
}
