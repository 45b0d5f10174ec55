import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { buildArtifact, listFiles, siteFolder } from './artifact.js';

const scratch = mkdtempSync(join(tmpdir(), 'waggle-artifact-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** One package.json at the root: an Express server in server/ beside its built Angular client. */
function meanWorkspace(packages: string): { root: string; config: string } {
  const root = mkdtempSync(join(scratch, 'workspace-'));
  write(root, {
    'package.json': JSON.stringify({
      name: 'cats',
      version: '1.2.3',
      dependencies: { web: '1.0.0' },
      devDependencies: { tooling: '1.0.0' },
    }),
    'node_modules/web/package.json': JSON.stringify({ name: 'web', dependencies: { 'web-core': '1.0.0' } }),
    'node_modules/web/index.js': 'module.exports = 1;\n',
    'node_modules/web-core/package.json': JSON.stringify({ name: 'web-core' }),
    'node_modules/tooling/package.json': JSON.stringify({ name: 'tooling' }),
    'server/index.js': "require('web');\n",
    'client/src/main.ts': 'bootstrap();\n',
    'dist/client/browser/index.html': '<app-root></app-root>\n',
    'dist/client/prerendered-routes.json': '{}\n',
  });
  return { root, config: `name: cats\npackages:\n${packages}` };
}

async function unpacked(file: string): Promise<string> {
  const into = mkdtempSync(join(scratch, 'unpacked-'));
  await tar.x({ file, cwd: into });
  return into;
}

async function artifactOf({ root, config }: { root: string; config: string }) {
  const pkg = parseConfig(config).packages.cats;
  if (!pkg) throw new Error('no package cats');
  const artifact = await buildArtifact({
    name: 'cats',
    pkg,
    workspace: root,
    commit: 'a'.repeat(40),
    cacheKey: 'b'.repeat(64),
    outDir: mkdtempSync(join(scratch, 'out-')),
  });
  return { pkg, artifact, files: listFiles(await unpacked(artifact.file)).sort() };
}

describe('the artifact of a package at the root that is a service and a site', () => {
  const both = (outputs: string) =>
    `  cats:\n    path: .\n    outputs: ${outputs}\n    service: { port: 4100, start: node server/index.js, health: /api/health }\n    site: { dist: dist/client/browser }\n`;

  it('holds the server, its production dependencies and the site, where the service finds it', async () => {
    const { pkg, artifact, files } = await artifactOf(meanWorkspace(both('[dist, server]')));
    expect(files).toEqual([
      'dist/client/browser/index.html',
      'dist/client/prerendered-routes.json',
      'node_modules/web-core/package.json',
      'node_modules/web/index.js',
      'node_modules/web/package.json',
      'package.json',
      'server/index.js',
      'waggle-manifest.json',
    ]);
    expect(artifact.manifest).toMatchObject({ package: 'cats', version: '1.2.3', kind: 'service' });
    // nginx serves the site's folder of the release, never its root (package.json, node_modules).
    expect(siteFolder(pkg)).toBe('dist/client/browser');
  });

  it('takes the site even when no output holds it', async () => {
    const { files } = await artifactOf(meanWorkspace(both('[server]')));
    expect(files).toContain('dist/client/browser/index.html');
    expect(files).not.toContain('dist/client/prerendered-routes.json');
    expect(files).toContain('server/index.js');
  });

  it('leaves a site alone as it was: its built folder is the whole release', async () => {
    const { pkg, artifact, files } = await artifactOf(
      meanWorkspace('  cats: { path: ., site: { dist: dist/client/browser } }\n'),
    );
    expect(files).toEqual(['index.html', 'waggle-manifest.json']);
    expect(artifact.manifest.kind).toBe('site');
    expect(siteFolder(pkg)).toBe('.');
  });

  it('says which site folder was not built', async () => {
    const workspace = meanWorkspace(both('[server]'));
    rmSync(join(workspace.root, 'dist'), { recursive: true });
    await expect(artifactOf(workspace)).rejects.toThrow('site folder dist/client/browser was not built in .');
  });

  it('packs more dependency files than its process may open at once', () => {
    // A real app's production node_modules holds some 10,000 files; hashing them all at once ran
    // out of file descriptors. Here: 500 files, in a process limited to 64 open files.
    const { root, config } = meanWorkspace(both('[dist, server]'));
    for (let i = 0; i < 500; i++)
      write(root, { [`node_modules/web/lib/${i}.js`]: `module.exports = ${i};\n` });
    const script = join(scratch, 'pack.mts');
    writeFileSync(
      script,
      `import { buildArtifact } from ${JSON.stringify(fileURLToPath(new URL('./artifact.ts', import.meta.url)))};
const [workspace, outDir, pkg] = process.argv.slice(2);
const artifact = await buildArtifact({ name: 'cats', pkg: JSON.parse(pkg), workspace, commit: 'a'.repeat(40), cacheKey: 'c'.repeat(64), outDir });
console.log(artifact.manifest.files.length);
`,
    );
    const pkg = JSON.stringify(parseConfig(config).packages.cats);
    const out = execFileSync(
      'sh',
      ['-c', 'ulimit -n 64 && exec "$0" --import tsx "$@"', process.execPath, script, root, scratch, pkg],
      { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) },
    );
    expect(Number(out.trim())).toBe(507);
  });
});
