import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertInside, PathEscapeError, resolveInside } from './inside.js';

describe('resolveInside', () => {
  const base = mkdtempSync(join(tmpdir(), 'waggle-inside-'));
  const root = join(base, 'workspace');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'pkg', 'dist'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'victim.txt'), 'keep me');
  symlinkSync(outside, join(root, 'pkg', 'out-link'));
  symlinkSync(join(root, 'pkg', 'dist'), join(root, 'pkg', 'in-link'));
  symlinkSync(join(outside, 'nothing-yet'), join(root, 'pkg', 'dangling'));

  it('accepts paths inside, existing or not, and links that stay inside', () => {
    expect(resolveInside(root, 'pkg/dist')).toMatch(/workspace\/pkg\/dist$/);
    expect(resolveInside(root, 'pkg/reports/junit.xml')).toMatch(/pkg\/reports\/junit.xml$/);
    expect(resolveInside(root, 'pkg/in-link/x.js')).toMatch(/pkg\/in-link\/x.js$/);
    expect(resolveInside(root, '.')).toMatch(/workspace$/);
  });

  it('refuses "..", absolute paths and folders that are links out of the tree', () => {
    for (const path of [
      '../outside/victim.txt',
      '/etc/passwd',
      'pkg/../../outside',
      'pkg/out-link',
      'pkg/out-link/victim.txt',
      'pkg/out-link/new/file',
    ])
      expect(() => resolveInside(root, path), path).toThrow(PathEscapeError);
  });

  it('lets a dangling link through as itself: removing it removes only the link', () => {
    expect(resolveInside(root, 'pkg/dangling')).toMatch(/pkg\/dangling$/);
  });

  it('checks absolute paths met while walking a tree', () => {
    expect(() => assertInside(root, join(root, 'pkg', 'out-link', 'victim.txt'))).toThrow(PathEscapeError);
    expect(assertInside(root, join(root, 'pkg', 'dist'))).toBe(join(root, 'pkg', 'dist'));
  });
});
