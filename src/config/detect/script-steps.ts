/**
 * What a test script runs before its runner (`tsc -p server` in `"test:be": "tsc -p server && jest"`):
 * a suite either runs the whole script or says what it leaves out.
 */
import { scriptInvocations } from '../junit/invocations.js';
import { runnerIn } from '../junit/runner-bin.js';
import { shellSegments, takeAssignments } from '../junit/shell-segments.js';
import type { Invocation } from '../junit/types.js';

/**
 * The commands a runner's script runs before it (`tsc -p server` in `tsc -p server && jest`), when
 * that script starts this one runner: moving folders and setting variables are no steps.
 */
export function stepsBefore(scripts: Record<string, string>, invocation: Invocation): string[][] {
  if (!invocation.script) return [];
  if (scriptInvocations(scripts, invocation.script).length !== 1) return [];
  const segments = shellSegments(scripts[invocation.script] ?? '');
  const at = segments.findIndex(
    (segment) => runnerIn(takeAssignments(segment, {}))?.runner === invocation.runner,
  );
  return segments
    .slice(0, Math.max(at, 0))
    .map((segment) => takeAssignments(segment, {}))
    .filter((words) => words.length > 0 && words[0] !== 'cd');
}

export function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, index) => word === b[index]);
}

/** Commands as the script writes them: "tsc -p server" and "npm run gen". */
export function quoted(commands: string[][]): string {
  return commands.map((words) => `"${words.join(' ')}"`).join(' and ');
}
