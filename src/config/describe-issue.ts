/**
 * zod's issues as the `path: message` lines people read: unknown keys with the key meant, the
 * union branch the input was written for, and types named as YAML shows them (a list, null).
 */
import type { z } from 'zod';
import { type ConfigIssue, formatPath } from './errors.js';
import { knownKeysAt } from './known-keys.js';
import { configSchema } from './schema.js';
import { nearest } from './suggest.js';

type Issue = z.core.$ZodIssue;
type UnionIssue = Extract<Issue, { code: 'invalid_union' }>;

export function describeIssue(issue: Issue): ConfigIssue[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKey(issue.path, key));
  if (issue.code === 'invalid_key')
    return issue.issues.map((inner) => ({ path: formatPath(issue.path), message: readableMessage(inner) }));
  if (issue.code === 'invalid_union') return describeUnion(issue);
  return [{ path: formatPath(issue.path), message: readableMessage(issue) }];
}

/**
 * Report the branch the input was written for: not one whose type it does not have at all (a
 * string is not the mapping branch), and for a mapping the branch whose keys it uses.
 */
function describeUnion(issue: UnionIssue): ConfigIssue[] {
  const fitting = issue.errors.filter((errors) => wrongShape(errors) === undefined);
  if (fitting.length === 0) return [{ path: formatPath(issue.path), message: noFormMatches(issue) }];
  const ranked = fitting
    .map((errors) => ({ errors, misses: keyMisses(errors) }))
    .sort((a, b) => a.misses - b.misses || a.errors.length - b.errors.length);
  const best = ranked[0] as (typeof ranked)[number];
  const tied = ranked.filter((branch) => branch.misses === best.misses);
  if (best.misses > 0 && tied.length > 1)
    return ambiguousKeys(
      issue,
      tied.map((branch) => branch.errors),
    );
  return best.errors.flatMap((inner) => describeIssue({ ...inner, path: [...issue.path, ...inner.path] }));
}

/** The forms a branch wanted when the input is not of its type at all, else undefined. */
function wrongShape(errors: readonly Issue[]): string[] | undefined {
  const [only] = errors;
  if (errors.length !== 1 || !only || only.path.length > 0) return undefined;
  if (only.code === 'invalid_type') return [article(only.expected)];
  if (only.code === 'invalid_value') return only.values.map((value) => JSON.stringify(value));
  if (only.code === 'invalid_union') {
    const forms = only.errors.map(wrongShape);
    return forms.every((form) => form !== undefined) ? forms.flat() : undefined;
  }
  return undefined;
}

function noFormMatches(issue: UnionIssue): string {
  if (issue.input === undefined) return 'is required';
  const forms = [...new Set(issue.errors.flatMap((errors) => wrongShape(errors) ?? []))];
  if (forms.length === 0) return 'does not match any allowed form';
  const last = forms.pop() as string;
  const expected = forms.length > 0 ? `${forms.join(', ')} or ${last}` : last;
  const value = issue.input;
  const got = typeof value === 'string' && value.length <= 40 ? JSON.stringify(value) : received(value);
  return `must be ${expected}, not ${got}`;
}

/** Keys of the mapping a branch does not know, plus keys it needs that the mapping lacks. */
function keyMisses(errors: readonly Issue[]): number {
  return errors.reduce(
    (count, inner) =>
      count + (inner.code === 'unrecognized_keys' && inner.path.length === 0 ? inner.keys.length : 0),
    errors.filter(isMissingKey).length,
  );
}

function isMissingKey(inner: Issue): boolean {
  return inner.code === 'invalid_type' && inner.path.length === 1 && inner.input === undefined;
}

/** No branch fits the mapping's keys better than another: say which keys are wrong or wanted. */
function ambiguousKeys(issue: UnionIssue, tied: readonly (readonly Issue[])[]): ConfigIssue[] {
  const unknownIn = tied.map(
    (errors) =>
      new Set(
        errors.flatMap((inner) =>
          inner.code === 'unrecognized_keys' && inner.path.length === 0 ? inner.keys : [],
        ),
      ),
  );
  const unknownEverywhere = [...(unknownIn[0] ?? [])].filter((key) => unknownIn.every((set) => set.has(key)));
  if (unknownEverywhere.length > 0) return unknownEverywhere.map((key) => unknownKey(issue.path, key));
  const used = [...new Set(unknownIn.flatMap((set) => [...set]))];
  const wanted = [
    ...new Set(tied.flatMap((errors) => errors.filter(isMissingKey).map((e) => String(e.path[0])))),
  ];
  const message =
    used.length > 0 ? `takes only one of ${used.join(', ')}` : `needs one of ${wanted.join(', ')}`;
  return [{ path: formatPath(issue.path), message }];
}

function unknownKey(path: readonly PropertyKey[], key: string): ConfigIssue {
  const known = knownKeysAt(configSchema, path);
  const guess = nearest(key, known);
  return {
    path: formatPath([...path, key]),
    message: `unknown key${guess ? ` (did you mean "${guess}"?)` : `; known keys: ${known.join(', ')}`}`,
  };
}

function readableMessage(issue: Issue): string {
  if (issue.code === 'invalid_type')
    return issue.input === undefined
      ? 'is required'
      : `must be ${article(issue.expected)}, not ${received(issue.input)}`;
  if (issue.code === 'invalid_value') {
    const values = issue.values.map((value) => JSON.stringify(value));
    return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(', ')}`;
  }
  if (issue.code === 'invalid_union') return 'does not match any allowed form';
  if (issue.code === 'too_small' || issue.code === 'too_big') return sizeMessage(issue);
  return issue.message;
}

function sizeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const bound = issue.inclusive ? (small ? 'at least' : 'at most') : small ? 'more than' : 'less than';
  if ((issue.origin === 'array' || issue.origin === 'string') && small && limit === 1)
    return 'must not be empty';
  if (issue.origin === 'array') return `must have ${bound} ${limit} items`;
  if (issue.origin === 'string') return `must be ${bound} ${limit} characters long`;
  if (issue.origin === 'number') return `must be ${bound} ${limit}`;
  return issue.message;
}

/** What YAML gave, in its words: typeof calls null and lists "object". */
function received(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return typeof input;
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
