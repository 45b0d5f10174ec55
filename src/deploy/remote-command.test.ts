import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { remoteCommandLine, shellWord } from './remote-command.js';

/** What a POSIX shell makes of the line: the words it would run, printed one a line by printf. */
function wordsAfterShell(line: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('remote command lines', () => {
  const hostile = [
    'plain',
    'two words',
    "it's",
    '$(touch /tmp/pwned)',
    '`id`',
    '; rm -rf /',
    '"quoted"',
    '\\back\\slash',
    'line\nbreak',
    '*',
    '',
    '--',
    "''",
    '$HOME',
  ];

  it('quotes every word so the shell sees exactly the words meant, whatever they hold', () => {
    for (const word of hostile) expect(wordsAfterShell(shellWord(word))).toEqual([word]);
    expect(wordsAfterShell(hostile.map(shellWord).join(' '))).toEqual(hostile);
  });

  it('puts the folder and variables in front with env, as words too', () => {
    expect(remoteCommandLine(['ls', '-la'])).toBe("'ls' '-la'");
    expect(remoteCommandLine(['node', 'x.js'], { cwd: '/srv/a b', env: { PM2_HOME: "/srv/it's" } })).toBe(
      "'env' '-C' '/srv/a b' 'PM2_HOME=/srv/it'\\''s' 'node' 'x.js'",
    );
    const run = execFileSync(
      'sh',
      ['-c', remoteCommandLine(['sh', '-c', 'pwd; echo "$X"'], { cwd: '/tmp', env: { X: '$(id)' } })],
      {
        encoding: 'utf8',
      },
    );
    expect(run).toBe('/tmp\n$(id)\n');
  });

  it('refuses what no shell word can carry', () => {
    expect(() => shellWord('a\0b')).toThrow(/NUL/);
    expect(() => remoteCommandLine([])).toThrow(/empty/);
    expect(() => remoteCommandLine(['true'], { env: { 'A;B': '1' } })).toThrow(/not a variable name/);
  });
});
