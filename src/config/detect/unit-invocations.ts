/**
 * The unit-test runners CI would start for a package: those `npm test` starts and those of every
 * test:* / test-* script (not watch, debug or end-to-end ones), each runner and config once.
 * Teams split their tests across scripts (`"test": "ng test"`, `"test:be": "tsc -p server && jest"`):
 * a runner only a test:* script starts is still a suite CI must run.
 */
import { flagValues, positionals } from '../junit/flags.js';
import { scriptInvocations } from '../junit/invocations.js';
import type { Invocation } from '../junit/types.js';

/** Playwright and Cypress are left out: they test a deployed environment, not a build. */
const UNIT_RUNNERS = new Set(['jest', 'karma', 'mocha', 'vitest', 'ng']);
/** Scripts that run tests besides `test`: test:server, test-unit, server:test. */
const TEST_SCRIPT = /^test[:_-]|[:_-]test$/;
/** Test scripts that never end or test something else than the build. */
const NOT_A_CI_SCRIPT = /watch|debug|e2e|cypress|playwright|open/;

/** The unit-test runners CI would start: those of `npm test`, then those only test:* scripts start. */
export function unitInvocations(scripts: Record<string, string>): Invocation[] {
  const isUnit = (invocation: Invocation) => UNIT_RUNNERS.has(invocation.runner);
  const ofTest = 'test' in scripts ? scriptInvocations(scripts, 'test').filter(isUnit) : [];
  // A runner npm test starts over all it finds already runs what a test:* script runs of it
  // (`jest` and `"test:unit": "jest unit"`).
  const whole = new Set(ofTest.filter((invocation) => paths(invocation).length === 0).map(scope));
  const ofScripts = Object.keys(scripts)
    .filter((name) => TEST_SCRIPT.test(name) && !NOT_A_CI_SCRIPT.test(name))
    .flatMap((name) => scriptInvocations(scripts, name))
    .filter((invocation) => isUnit(invocation) && !whole.has(scope(invocation)));
  const seen = new Set<string>();
  return [...ofTest, ...ofScripts].filter((invocation) => {
    // Flags are left out: `jest` and `jest --coverage` run the same tests.
    const key = [scope(invocation), ...paths(invocation)].join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The runner, where it runs and its config: what its paths are taken within. */
function scope(invocation: Invocation): string {
  return [invocation.runner, invocation.cwd, ...flagValues(invocation.words, ['--config', '-c'])].join(' ');
}

/** The paths a runner is given (`jest server`, `mocha "test/**"`): none when it runs all it finds. */
function paths(invocation: Invocation): string[] {
  const subcommands = invocation.runner === 'ng' || invocation.runner === 'karma' ? 2 : 1;
  return positionals(invocation.words.slice(subcommands), ['--config', '-c']).filter(
    (word) => word !== 'run',
  );
}
