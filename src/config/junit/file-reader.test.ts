import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileReader } from './file-reader.js';

describe('fileReader', () => {
  it('reads inside the repository only, symbolic links included', () => {
    const outside = mkdtempSync(join(tmpdir(), 'waggle-outside-'));
    writeFileSync(join(outside, 'secret.js'), 'secret');
    const root = mkdtempSync(join(tmpdir(), 'waggle-reader-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.js'), 'a');
    symlinkSync(join(outside, 'secret.js'), join(root, 'link.js'));
    const read = fileReader(root);
    expect(read('src/a.js')).toBe('a');
    expect(read('src/../src/a.js')).toBe('a');
    expect(read(`../${join(outside, 'secret.js')}`)).toBeUndefined();
    expect(read('link.js')).toBeUndefined();
    expect(read('src')).toBeUndefined();
    expect(read('missing.js')).toBeUndefined();
  });
});
