/**
 * The variables a package's .env files set, as dotenv reads them (`NAME=value`, `export NAME=value`,
 * quotes, `#` comments), so init can tell which variable holds the database URL the tests use.
 */
import { posix } from 'node:path';
import type { ReadFile } from '../junit/types.js';

/** The test file first: where a variable is set twice, its value is the one tests are meant to get. */
const ENV_FILES = ['.env.test', '.env', '.env.example', '.env.sample'];

/** A variable's value and the file that sets it, from the repository root. */
export interface EnvSetting {
  value: string;
  file: string;
}

/** The variables the .env files in `folders` set, the first setting of each winning. */
export function envFileSettings(read: ReadFile, folders: readonly string[]): Record<string, EnvSetting> {
  const settings: Record<string, EnvSetting> = {};
  for (const folder of new Set(folders.map((dir) => posix.normalize(dir))))
    for (const name of ENV_FILES) {
      const file = posix.join(folder, name);
      const text = read(file);
      if (text === undefined) continue;
      for (const [variable, value] of parseEnvFile(text))
        if (!(variable in settings)) settings[variable] = { value, file };
    }
  return settings;
}

/** `NAME=value` lines as pairs; comments, blank lines and what is no assignment are skipped. */
export function parseEnvFile(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const raw = match[2] as string;
    const quoted = /^(['"`])(.*)\1/.exec(raw);
    pairs.push([match[1] as string, quoted ? (quoted[2] as string) : raw.replace(/\s+#.*$/, '')]);
  }
  return pairs;
}
