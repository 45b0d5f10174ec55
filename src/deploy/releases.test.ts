import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalTransport } from './local-transport.js';
import { HostReleases, RELEASE_MARKER, releaseId, releasePaths } from './releases.js';

/** A tarball of one file saying `text`, and its sha256. */
function artifact(dir: string, text: string): { file: string; sha256: string } {
  const src = mkdtempSync(join(dir, 'src-'));
  writeFileSync(join(src, 'index.js'), `console.log(${JSON.stringify(text)})\n`);
  const file = join(dir, `${text}.tgz`);
  execFileSync('tar', ['-czf', file, '-C', src, '.']);
  return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
}

describe('releases on a host', () => {
  let dir: string;
  let releases: HostReleases;
  const facts = (id: string, sha256: string) => ({
    id,
    package: 'billing',
    sha256,
    commit: 'c0ffee',
    run: 1,
  });
  const idAt = (second: number) => releaseId(new Date(Date.UTC(2026, 10, 30, 8, 0, second)), 1, 'c0ffee00');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-releases-'));
    mkdirSync(join(dir, 'host'));
    releases = new HostReleases(
      new LocalTransport('web', join(dir, 'host')),
      releasePaths(join(dir, 'host'), 'hivenue', 'billing'),
    );
  });

  it('names releases so they sort as they were made', () => {
    expect(releaseId(new Date('2026-11-30T08:15:00.123Z'), 12, '0a1b2c3d4e5f6789')).toBe(
      '20261130T081500Z-run12-0a1b2c3d4e5f',
    );
  });

  it('installs a verified artifact as a release, once, and switches current by a rename', async () => {
    const one = artifact(dir, 'one');
    const id = idAt(1);
    expect(await releases.install(one.file, facts(id, one.sha256))).toBe('installed');
    expect(await releases.install(one.file, facts(id, one.sha256))).toBe('present');
    expect(await releases.current()).toBeUndefined();
    await releases.activate(id);
    expect(await releases.current()).toBe(id);
    const current = releases.paths.current;
    expect(readlinkSync(current)).toBe(`releases/${id}`);
    expect(readFileSync(join(current, 'index.js'), 'utf8')).toContain('one');
    expect(JSON.parse(readFileSync(join(current, RELEASE_MARKER), 'utf8'))).toMatchObject({
      id,
      sha256: one.sha256,
    });
    expect(await releases.facts(id)).toMatchObject({ package: 'billing', commit: 'c0ffee' });
    // Nothing left on the way.
    expect(execFileSync('ls', ['-A', releases.paths.incoming], { encoding: 'utf8' })).toBe('');
  });

  it('refuses bytes that are not the artifact, leaving nothing behind', async () => {
    const one = artifact(dir, 'one');
    const id = idAt(1);
    await expect(releases.install(one.file, facts(id, 'f'.repeat(64)))).rejects.toThrow(
      `arrived as sha256 ${one.sha256}, not ${'f'.repeat(64)}`,
    );
    expect(await releases.list()).toEqual([]);
    expect(execFileSync('ls', ['-A', releases.paths.incoming], { encoding: 'utf8' })).toBe('');
    await expect(releases.activate(id)).rejects.toThrow(/no complete release/);
  });

  it('never counts an unpack cut short as a release, and a rerun completes it', async () => {
    const one = artifact(dir, 'one');
    const id = idAt(1);
    // What a deploy killed mid-unpack leaves: a folder under a name no release has.
    mkdirSync(join(releases.paths.releases, `.${id}.unpacking`), { recursive: true });
    writeFileSync(join(releases.paths.releases, `.${id}.unpacking`, 'half'), '');
    expect(await releases.list()).toEqual([]);
    expect(await releases.install(one.file, facts(id, one.sha256))).toBe('installed');
    expect(existsSync(join(releases.paths.releases, id, 'half'))).toBe(false);
    expect(await releases.list()).toEqual([id]);
  });

  it('keeps the newest releases and the current one, and knows the one before', async () => {
    const ids = [1, 2, 3, 4].map(idAt);
    for (const [n, id] of ids.entries()) {
      const a = artifact(dir, `r${n}`);
      await releases.install(a.file, facts(id, a.sha256));
    }
    await releases.activate(ids[0] as string);
    expect(await releases.previous(ids[2])).toBe(ids[1]);
    expect(await releases.previous()).toBeUndefined();
    mkdirSync(join(releases.paths.releases, '.stale.unpacking'));
    expect(await releases.prune(2)).toEqual([ids[1]]);
    expect(await releases.list()).toEqual([ids[0], ids[2], ids[3]]);
    expect(existsSync(join(releases.paths.releases, '.stale.unpacking'))).toBe(false);
  });
});
