/** Finding, parsing and validating waggle.yml. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { gitRoot } from '../exec/git.js';
import { checkConfig } from './checks.js';
import { describeIssue } from './describe-issue.js';
import { ConfigError } from './errors.js';
import { readConfigText, refuseOversized } from './read.js';
import { type Config, configSchema } from './schema.js';
import { reservedReferences } from './secrets.js';

export const CONFIG_FILE = 'waggle.yml';

/** How many times YAML aliases may expand: more is an alias bomb, not a config. */
const MAX_ALIAS_COUNT = 100;

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
  const raw = parseYaml(readConfigText(file), file);
  const result = configSchema.safeParse(raw, { reportInput: true });
  // Folder and name checks run even when the schema fails, so one pass shows every problem.
  const issues = [
    ...(result.success ? [] : result.error.issues.flatMap(describeIssue)),
    ...reservedReferences(raw),
    ...checkConfig(raw, root),
  ];
  if (!result.success || issues.length > 0) throw new ConfigError(file, issues);
  return { config: result.data, file, root };
}

/** Parse and type-check YAML text; throws ConfigError listing every problem found. */
export function parseConfig(text: string, file = CONFIG_FILE): Config {
  refuseOversized(Buffer.byteLength(text), file);
  const raw = parseYaml(text, file);
  const result = configSchema.safeParse(raw, { reportInput: true });
  const issues = [
    ...(result.success ? [] : result.error.issues.flatMap(describeIssue)),
    ...reservedReferences(raw),
  ];
  if (!result.success || issues.length > 0) throw new ConfigError(file, issues);
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
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    // The parser already reported unresolved aliases, so a ReferenceError here is the alias limit.
    if (error instanceof ReferenceError)
      throw new ConfigError(file, [
        {
          path: '(file)',
          message: `too many YAML aliases (anchors may expand at most ${MAX_ALIAS_COUNT} times in all)`,
        },
      ]);
    if (error instanceof RangeError)
      throw new ConfigError(file, [{ path: '(file)', message: 'YAML nested too deeply' }]);
    throw error;
  }
}
