import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathEscapeError } from './inside.js';
import { TreeCache } from './tree-cache.js';

describe('TreeCache', () => {
  const base = mkdtempSync(join(tmpdir(), 'waggle-tree-cache-'));
  const outside = join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'server file');
  const cache = new TreeCache(join(base, 'cache'));

  const workspace = (name: string) => {
    const root = join(base, name);
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist', 'index.js'), 'built');
    return root;
  };

  it('saves outputs and puts them back', async () => {
    await cache.save('k1', workspace('a'), ['dist'], { link: false });
    const fresh = join(base, 'fresh');
    mkdirSync(fresh);
    expect(await cache.restore('k1', fresh, { link: false })).toBe(true);
    expect(readFileSync(join(fresh, 'dist', 'index.js'), 'utf8')).toBe('built');
  });

  it('saves a folder named twice, or inside another, once: no node_modules/node_modules', async () => {
    // A package at the repository root: its node_modules is the root's.
    const root = join(base, 'root-package');
    mkdirSync(join(root, 'node_modules', 'express'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'express', 'index.js'), 'express');
    await cache.save('k-root', root, ['node_modules', 'node_modules', './node_modules/express'], {
      link: true,
    });
    const fresh = join(base, 'fresh-root');
    mkdirSync(fresh);
    expect(await cache.restore('k-root', fresh, { link: true })).toBe(true);
    expect(readFileSync(join(fresh, 'node_modules', 'express', 'index.js'), 'utf8')).toBe('express');
    expect(existsSync(join(fresh, 'node_modules', 'node_modules'))).toBe(false);
    expect(existsSync(join(fresh, 'node_modules', 'express', 'express'))).toBe(false);
  });

  it('keeps an entry for folders that are not there, which restores nothing', async () => {
    const empty = join(base, 'no-folders');
    mkdirSync(empty);
    await cache.save('k-empty', empty, ['node_modules'], { link: true });
    expect(await cache.restore('k-empty', empty, { link: true })).toBe(true);
    expect(existsSync(join(empty, 'node_modules'))).toBe(false);
  });

  it('refuses to save an output that is a link out of the workspace', async () => {
    const root = workspace('b');
    symlinkSync(outside, join(root, 'leak'));
    await expect(cache.save('k2', root, ['dist', 'leak/secret.txt'], { link: false })).rejects.toThrow(
      PathEscapeError,
    );
    expect(cache.has('k2')).toBe(false);
  });

  it('never removes through a link a commit placed where outputs are restored', async () => {
    await cache.save('k3', workspace('c'), ['dist'], { link: false });
    const root = join(base, 'hostile');
    mkdirSync(root);
    symlinkSync(outside, join(root, 'dist'));
    await expect(cache.restore('k3', root, { link: false })).rejects.toThrow(PathEscapeError);
    expect(existsSync(join(outside, 'secret.txt'))).toBe(true);
  });
});
