import { describe, expect, it } from 'vitest';
import { escapes, isInside, pathProblem } from './paths.js';

describe('escapes', () => {
  it.each([
    '',
    '/etc/passwd',
    '\\etc',
    '\\\\server\\share',
    'C:\\repo',
    'c:/repo',
    'C:repo',
    '..',
    '../x',
    'a/../../x',
    'a\\..\\..\\x',
    'dist\0',
  ])('refuses %j', (path) => {
    expect(escapes(path)).toBe(true);
  });

  it.each(['.', './', 'dist', 'dist/front-end/browser', 'a/../b', 'a/..', './a/./b', '..a', 'a..b/c'])(
    'keeps %j',
    (path) => {
      expect(escapes(path)).toBe(false);
    },
  );
});

describe('isInside', () => {
  it('holds for the folder itself and what is under it', () => {
    expect(isInside('/repo', '/repo')).toBe(true);
    expect(isInside('/repo', '/repo/a/b')).toBe(true);
    expect(isInside('/repo', 'a/../b')).toBe(true);
    expect(isInside('/repo/', '/repo/..a')).toBe(true);
  });

  it('fails for anything that resolves outside', () => {
    expect(isInside('/repo', '/repository')).toBe(false);
    expect(isInside('/repo', '/')).toBe(false);
    expect(isInside('/repo', '..')).toBe(false);
    expect(isInside('/repo', 'a/../../etc')).toBe(false);
    expect(isInside('/repo', '/etc/passwd')).toBe(false);
  });
});

describe('pathProblem', () => {
  it('says what is wrong, against the folder the path is relative to', () => {
    expect(pathProblem('../x', 'package')).toBe(
      'must stay inside the package folder (no absolute paths or "..")',
    );
    expect(pathProblem('/x', 'repository')).toBe(
      'must stay inside the repository (no absolute paths or "..")',
    );
    expect(pathProblem('', 'repository')).toBe('must not be empty');
    expect(pathProblem('a\0', 'package')).toBe('must not hold a NUL byte');
    expect(pathProblem('a/b', 'package')).toBeUndefined();
  });
});
