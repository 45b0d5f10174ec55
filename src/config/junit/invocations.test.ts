import { describe, expect, it } from 'vitest';
import { commandInvocation, scriptInvocations } from './invocations.js';
import { shellSegments } from './shell-segments.js';

describe('shellSegments', () => {
  it('splits commands, groups quotes and drops redirections', () => {
    expect(shellSegments(`cross-env NODE_ENV=test jest --watch && echo "all done" > out.txt 2>&1`)).toEqual([
      ['cross-env', 'NODE_ENV=test', 'jest', '--watch'],
      ['echo', 'all done'],
    ]);
    expect(shellSegments("mocha 'server/**/*.spec.js' --exit; cd client || true")).toEqual([
      ['mocha', 'server/**/*.spec.js', '--exit'],
      ['cd', 'client'],
      ['true'],
    ]);
  });
});

describe('scriptInvocations', () => {
  const scripts = {
    test: 'npm run test:client && npm run test:server',
    'test:client': 'cd client && ng test',
    'test:server': 'NODE_ENV=test nyc mocha server --exit',
    'test:all': 'run-s test:*',
    both: 'concurrently -n a,b "npm:test:server" "vitest --watch"',
    lint: 'eslint .',
  };

  it('follows npm run into each script, with the folder a script moves to', () => {
    const found = scriptInvocations(scripts, 'test');
    expect(found.map((item) => [item.runner, item.cwd, item.script, item.last])).toEqual([
      ['ng', 'client', 'test:client', true],
      ['mocha', '.', 'test:server', true],
    ]);
    expect(found[1]?.wrappers).toEqual(['nyc']);
    expect(found[1]?.env).toEqual({ NODE_ENV: 'test' });
  });

  it('expands run-s globs and reads concurrently commands', () => {
    expect(scriptInvocations(scripts, 'test:all').map((item) => item.runner)).toEqual(['ng', 'mocha']);
    expect(scriptInvocations(scripts, 'both').map((item) => item.runner)).toEqual(['mocha', 'vitest']);
    expect(scriptInvocations(scripts, 'lint')).toEqual([]);
  });

  it('passes arguments after -- to the last command of the script', () => {
    const [found] = commandInvocation(['npm', 'run', 'test:client', '--', '--watch=false'], scripts);
    expect(found?.words).toEqual(['ng', 'test', '--watch=false']);
    expect(commandInvocation(['npx', 'jest', '--ci'], {})[0]?.words).toEqual(['jest', '--ci']);
    expect(commandInvocation(['ng', 'build'], {})).toEqual([]);
    for (const argv of [
      ['yarn', 'jest'],
      ['npm', 'exec', '--', 'jest'],
      ['pnpm', 'exec', 'jest'],
    ])
      expect(commandInvocation(argv, {})[0]).toMatchObject({ runner: 'jest', words: ['jest'], wrappers: [] });
    expect(commandInvocation(['nyc', '--reporter=lcov', 'mocha'], {})[0]?.wrappers).toEqual([
      'nyc',
      '--reporter=lcov',
    ]);
  });
});
