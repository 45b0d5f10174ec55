/**
 * The unit-test runners CI would start for a package: those `npm test` starts, else those of its
 * test:* scripts (not watch, debug or end-to-end ones), each runner and config once.
 */
import { flagValues, positionals } from '../junit/flags.js';
import { scriptInvocations } from '../junit/invocations.js';
import type { Invocation } from '../junit/types.js';

/** Playwright and Cypress are left out: they test a deployed environment, not a build. */
const UNIT_RUNNERS = new Set(['jest', 'karma', 'mocha', 'vitest', 'ng']);

/** The unit-test runners CI would start: those of `npm test`, else of test:* scripts. */
export function unitInvocations(scripts: Record<string, string>): Invocation[] {
  const isUnit = (invocation: Invocation) => UNIT_RUNNERS.has(invocation.runner);
  let invocations = 'test' in scripts ? scriptInvocations(scripts, 'test').filter(isUnit) : [];
  if (invocations.length === 0)
    invocations = Object.keys(scripts)
      .filter(
        (name) => /^test[:_-]|[:_-]test$/.test(name) && !/watch|debug|e2e|cypress|playwright|open/.test(name),
      )
      .flatMap((name) => scriptInvocations(scripts, name))
      .filter(isUnit);
  const seen = new Set<string>();
  return invocations.filter((invocation) => {
    const key = [
      invocation.runner,
      invocation.cwd,
      ...flagValues(invocation.words, ['--config', '-c']),
      ...positionals(invocation.words.slice(1), ['--config', '-c']).filter((word) => word !== 'run'),
    ].join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
