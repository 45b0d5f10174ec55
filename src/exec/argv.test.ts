import { describe, expect, it } from 'vitest';
import { toArgv } from './argv.js';

describe('toArgv', () => {
  it.each([
    ['npm run build', ['npm', 'run', 'build']],
    ['  npm   test  ', ['npm', 'test']],
    [`node -e "console.log('a b')"`, ['node', '-e', "console.log('a b')"]],
    [`echo '' x`, ['echo', '', 'x']],
    ['echo $(rm -rf /) `x`', ['echo', '$(rm', '-rf', '/)', '`x`']],
  ])('%s', (command, argv) => {
    expect(toArgv(command)).toEqual(argv);
  });

  it('keeps arrays as they are', () => {
    expect(toArgv(['a b', 'c'])).toEqual(['a b', 'c']);
  });

  it('refuses an unclosed quote', () => {
    expect(() => toArgv('echo "x')).toThrow('unclosed');
  });
});
