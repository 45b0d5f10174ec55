/**
 * The test runners a suite's command or an npm script starts, following the scripts it calls and
 * the folders it moves to, so each runner's configuration can be read from the right place.
 */
import { posix } from 'node:path';
import { runnerIn } from './runner-bin.js';
import { scriptCall } from './script-call.js';
import { shellSegments, takeAssignments } from './shell-segments.js';
import type { Invocation } from './types.js';

/** Scripts calling scripts this deep are taken for a loop. */
const MAX_SCRIPT_DEPTH = 12;

/** The runners an npm script starts, following `npm run`, `npm test`, run-s, run-p and concurrently. */
export function scriptInvocations(scripts: Record<string, string>, name: string): Invocation[] {
  return followScript(scripts, name, [], []);
}

/**
 * The runners a suite's command starts: `npx jest ...` directly, or `npm test` / `npm run X -- args`
 * through the package's scripts. Empty when it starts no runner known here.
 */
export function commandInvocation(argv: readonly string[], scripts: Record<string, string>): Invocation[] {
  return segmentInvocations([...argv], scripts, [], undefined, true, { cwd: '.' });
}

function followScript(
  scripts: Record<string, string>,
  name: string,
  extra: readonly string[],
  seen: readonly string[],
): Invocation[] {
  const text = scripts[name];
  if (text === undefined || seen.includes(name) || seen.length >= MAX_SCRIPT_DEPTH) return [];
  const segments = shellSegments(text);
  // A `cd` in one command moves the commands after it.
  const state = { cwd: '.' };
  const found = segments.flatMap((words, index) =>
    segmentInvocations(words, scripts, [...seen, name], name, index === segments.length - 1, state),
  );
  const last = found.at(-1);
  if (extra.length > 0 && last?.last) last.words.push(...extra);
  return found;
}

function segmentInvocations(
  segment: string[],
  scripts: Record<string, string>,
  seen: readonly string[],
  script: string | undefined,
  last: boolean,
  state: { cwd: string },
): Invocation[] {
  const cwd = state.cwd;
  const env: Record<string, string> = {};
  let words = takeAssignments(segment, env);
  if (['cross-env', 'cross-env-shell', 'env'].includes(words[0] ?? ''))
    words = takeAssignments(words.slice(1), env);
  if (words[0] === 'cd') {
    state.cwd = posix.normalize(posix.join(cwd, words[1] ?? '.'));
    return [];
  }
  const call = scriptCall(words, scripts);
  if (call) {
    return [
      ...call.scripts.flatMap((name) => followScript(scripts, name, call.extra, seen)),
      ...call.commands.flatMap((command) =>
        shellSegments(command).flatMap((inner) =>
          segmentInvocations(inner, scripts, seen, undefined, false, { cwd }),
        ),
      ),
    ];
  }
  const found = runnerIn(words);
  return found
    ? [{ ...found, env, cwd, ...(script ? { script } : {}), last: last && script !== undefined }]
    : [];
}
