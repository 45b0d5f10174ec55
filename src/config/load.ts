/** Finding, parsing and validating waggle.yml. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { gitRoot } from '../workspace/git.js';
import { checkConfig } from './checks.js';
import { ConfigError, type ConfigIssue, formatPath } from './errors.js';
import { knownKeysAt } from './known-keys.js';
import { type Config, configSchema } from './schema.js';
import { nearest } from './suggest.js';

export const CONFIG_FILE = 'waggle.yml';

export interface LoadedConfig {
  config: Config;
  file: string;
  /** Folder of waggle.yml: package paths are relative to it. */
  root: string;
}

/** `-c FILE`, else waggle.yml in the current folder, else at its git root. */
export function findConfigFile(explicit: string | undefined, cwd = process.cwd()): string {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file))
      throw new ConfigError(file, [{ path: '(file)', message: `${explicit} does not exist` }]);
    return file;
  }
  const here = join(cwd, CONFIG_FILE);
  if (existsSync(here)) return here;
  const root = gitRoot(cwd);
  if (root && existsSync(join(root, CONFIG_FILE))) return join(root, CONFIG_FILE);
  throw new ConfigError(here, [
    {
      path: '(file)',
      message: `no ${CONFIG_FILE} here or at the git root; write one with "waggle init" or pass -c FILE`,
    },
  ]);
}

export function loadConfig(file: string): LoadedConfig {
  const root = dirname(file);
  const raw = parseYaml(readFileSync(file, 'utf8'), file);
  const result = configSchema.safeParse(raw, { reportInput: true });
  // Folder and name checks run even when the schema fails, so one pass shows every problem.
  const issues = [
    ...(result.success ? [] : result.error.issues.flatMap(describeIssue)),
    ...checkConfig(raw, root),
  ];
  if (!result.success || issues.length > 0) throw new ConfigError(file, issues);
  return { config: result.data, file, root };
}

/** Parse and type-check YAML text; throws ConfigError listing every problem found. */
export function parseConfig(text: string, file = CONFIG_FILE): Config {
  const result = configSchema.safeParse(parseYaml(text, file), { reportInput: true });
  if (!result.success) throw new ConfigError(file, result.error.issues.flatMap(describeIssue));
  return result.data;
}

function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => {
        const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [0, 0];
        const message = (error.message.split('\n')[0] ?? 'bad YAML').replace(
          / at line \d+, column \d+:?$/,
          '',
        );
        return { path: `(line ${line}, column ${column})`, message };
      }),
    );
  }
  return document.toJS() ?? {};
}

function describeIssue(issue: z.core.$ZodIssue): ConfigIssue[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(configSchema, issue.path);
    return issue.keys.map((key) => {
      const guess = nearest(key, known);
      return {
        path: formatPath([...issue.path, key]),
        message: `unknown key${guess ? ` (did you mean "${guess}"?)` : `; known keys: ${known.join(', ')}`}`,
      };
    });
  }
  if (issue.code === 'invalid_union') {
    // Report the branch that got furthest: the one whose input was of the right shape.
    const branches = issue.errors.filter(
      (errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0),
    );
    const best = branches.sort((a, b) => a.length - b.length)[0];
    if (best)
      return best.flatMap((inner) => describeIssue({ ...inner, path: [...issue.path, ...inner.path] }));
  }
  return [{ path: formatPath(issue.path), message: readableMessage(issue) }];
}

function readableMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const received = (
      issue.input === undefined ? 'nothing' : Array.isArray(issue.input) ? 'a list' : typeof issue.input
    ) as string;
    return received === 'nothing' ? 'is required' : `must be ${article(issue.expected)}, not ${received}`;
  }
  if (issue.code === 'invalid_value')
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_union') return 'does not match any allowed form';
  return issue.message;
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
