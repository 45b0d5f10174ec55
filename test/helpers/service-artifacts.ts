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
  res.end(JSON.stringify({ release: '${release}', cwd: process.cwd(), secret: process.env.BILLING_KEY ?? null }));
}).listen(Number(process.env.PORT), process.env.HOST ?? '0.0.0.0');
`,
  );
  const file = join(dir, `${release}.tgz`);
  execFileSync('tar', ['-czf', file, '-C', src, '.']);
  return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
}
