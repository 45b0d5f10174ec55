/**
 * Reading runner configs (karma.conf.js, jest.config.ts, .mocharc.json, ...) as text, never by
 * running them: a pushed commit writes them. Values written as literals are read; anything
 * computed is `other`, so the callers can say they cannot tell.
 */
import { posix } from 'node:path';

/** A value written in a config: a string, a path built from __dirname, a boolean, or anything else. */
export type Written =
  | { kind: 'string'; value: string }
  | { kind: 'dirname'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'other' };

/** JavaScript or JSON text without comments (strings kept, so "http://x" survives). */
export function stripComments(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (quote) {
      out += char;
      if (char === '\\') out += text[++index] ?? '';
      else if (char === quote) quote = undefined;
    } else if (char === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') index++;
      out += '\n';
    } else if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end === -1 ? text.length : end + 1;
    } else {
      if (char === '"' || char === "'" || char === '`') quote = char;
      out += char;
    }
  }
  return out;
}

/** The bracketed text (`{...}` or `[...]`) starting at `open`, quotes respected. */
export function balanced(text: string, open: number): string | undefined {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const closing: string[] = [];
  let quote: string | undefined;
  for (let index = open; index < text.length; index++) {
    const char = text[index] as string;
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') quote = char;
    else if (pairs[char]) closing.push(pairs[char] as string);
    else if (char === closing.at(-1)) {
      closing.pop();
      if (closing.length === 0) return text.slice(open, index + 1);
    }
  }
  return undefined;
}

/** The value of `key:` (or `"key":`) at the top level of an object's text, if the key is there. */
export function writtenValue(objectText: string, key: string): Written | undefined {
  const at = topLevelKey(objectText, key);
  if (at === undefined) return undefined;
  const rest = objectText.slice(at).trimStart();
  const string = /^(['"`])((?:\\.|(?!\1)[^\\])*)\1\s*(?=[,}\n]|$)/s.exec(rest);
  if (string) return { kind: 'string', value: string[2] as string };
  const boolean = /^(true|false)\b/.exec(rest);
  if (boolean) return { kind: 'boolean', value: boolean[1] === 'true' };
  const joined =
    /^(?:require\(\s*['"](?:node:)?path['"]\s*\)|path)\.(?:join|resolve)\(\s*__dirname\s*((?:,\s*(['"])[^'"]*\2\s*)*)\)/.exec(
      rest,
    );
  if (joined) {
    const parts = [...(joined[1] ?? '').matchAll(/(['"])([^'"]*)\1/g)].map((match) => match[2] as string);
    return { kind: 'dirname', value: posix.normalize(posix.join('.', ...parts)) };
  }
  return { kind: 'other' };
}

/** The text of the object or array that is the value of `key:`, when written as a literal. */
export function blockOf(objectText: string, key: string): string | undefined {
  const at = topLevelKey(objectText, key);
  if (at === undefined) return undefined;
  const open = objectText.slice(at).search(/\S/);
  const char = objectText[at + open];
  return char === '{' || char === '[' ? balanced(objectText, at + open) : undefined;
}

/**
 * Offset just after `key:` among the object's own keys: those at the shallowest depth any key of
 * the text is at, so `coverageReporter: { reporters }` is not taken for Karma's `reporters`.
 */
export function topLevelKey(text: string, key: string): number | undefined {
  const keys = [...text.matchAll(/(?:^|[\s{,])(['"]?)([A-Za-z_$][\w$-]*)\1\s*:(?!\/)/g)];
  const depths = keys.map((match) => depthAt(text, match.index));
  const top = Math.min(...depths);
  const index = keys.findIndex((match, i) => match[2] === key && depths[i] === top);
  const match = keys[index];
  return match ? match.index + match[0].length : undefined;
}

function depthAt(text: string, offset: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = 0; index < offset; index++) {
    const char = text[index] as string;
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '{' || char === '[' || char === '(') depth++;
    else if (char === '}' || char === ']' || char === ')') depth--;
  }
  return depth;
}

/** The string literals in an array's text: ['progress', 'junit'] -> progress, junit. */
export function stringsIn(text: string): string[] {
  return [...text.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((match) => match[2] as string);
}
