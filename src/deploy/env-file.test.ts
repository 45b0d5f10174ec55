import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFileText } from './env-file.js';

/** What Node itself reads from the file. */
function readByNode(text: string, names: string[]): Record<string, string | undefined> {
  const file = join(mkdtempSync(join(tmpdir(), 'waggle-env-')), '.env');
  writeFileSync(file, text);
  const out = execFileSync(
    process.execPath,
    [
      `--env-file=${file}`,
      '-e',
      'console.log(JSON.stringify(Object.fromEntries(process.argv.slice(1).map((n) => [n, process.env[n]]))))',
      ...names,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH } },
  );
  return JSON.parse(out);
}

describe('env files', () => {
  it('carries every value exactly as Node reads it back', () => {
    const values = {
      PLAIN: 'mongodb://10.77.0.4:27017/hivenue',
      DOLLARS: '$HOME and ${X} and $(id)',
      HASH: 'before # not a comment',
      SINGLE: "it's",
      NEWLINES: 'line one\nline two',
      BACKSLASH: 'C:\\new\\table',
      EQUALS: 'a=b=c',
      EMPTY: '',
      SPACES: '  padded  ',
      MIXED: 'x\'y"z',
      TICKS: "tick`s and it's",
    };
    expect(readByNode(envFileText(values), Object.keys(values))).toEqual(values);
  });

  it('refuses what Node could not read back, naming the variable', () => {
    expect(() => envFileText({ KEY: 'a\'b`c"d' })).toThrow(/the value of KEY holds/);
    expect(() => envFileText({ KEY: "a'b`c\\n" })).toThrow(/the value of KEY/);
    expect(() => envFileText({ 'BAD NAME': 'x' })).toThrow(/not a variable name: BAD NAME/);
  });

  it('sorts the variables, one a line', () => {
    expect(envFileText({ B: '2', A: '1' })).toBe("A='1'\nB='2'\n");
  });
});
