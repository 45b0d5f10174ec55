/**
 * Where Mocha writes its JUnit file: mocha-junit-reporter (mochaFile, MOCHA_FILE) or the xunit
 * reporter's output option, from the flags, a .mocharc file or the "mocha" key of package.json.
 */
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { writtenValue } from './config-text.js';
import { flagValues } from './flags.js';
import { configFile, readJson, repoPath } from './repo-files.js';
import type { JUnitOutput, RunnerCall } from './types.js';

const MOCHA_CONFIGS = [
  '.mocharc.js',
  '.mocharc.cjs',
  '.mocharc.yaml',
  '.mocharc.yml',
  '.mocharc.jsonc',
  '.mocharc.json',
];

/** Mocha's own reporters that print to the console and write no JUnit. */
const CONSOLE_REPORTERS = [
  'spec',
  'dot',
  'list',
  'tap',
  'json',
  'json-stream',
  'progress',
  'min',
  'nyan',
  'landing',
  'doc',
  'markdown',
  'html',
];

export function mochaOutput({ words, cwd, pkg, env, read }: RunnerCall): JUnitOutput {
  let reporter = flagValues(words, ['--reporter', '-R']).at(-1);
  let options = flagValues(words, ['--reporter-options', '--reporter-option', '-O']).join(',');
  if (!reporter) {
    const [explicit] = flagValues(words, ['--config']);
    const file = configFile(read, cwd, explicit, MOCHA_CONFIGS);
    let config: Record<string, unknown> | undefined;
    if (file && /\.(c?js)$/.test(file.path)) {
      const value = writtenValue(file.text, 'reporter');
      if (value && value.kind !== 'string') return { kind: 'unknown' };
      reporter = value?.kind === 'string' ? value.value : undefined;
      const mochaFile = /mochaFile\s*[:=]\s*(['"])([^'"]*)\1/.exec(file.text);
      if (mochaFile) options = `mochaFile=${mochaFile[2]}`;
    } else if (file) {
      try {
        config = parseYaml(file.text) as Record<string, unknown>;
      } catch {
        return { kind: 'unknown' };
      }
    } else
      config = readJson(read, repoPath(pkg, 'package.json'))?.mocha as Record<string, unknown> | undefined;
    if (config) {
      reporter = typeof config.reporter === 'string' ? config.reporter : undefined;
      options = reporterOptions(
        config['reporter-option'] ?? config['reporter-options'] ?? config.reporterOptions,
      );
    }
  }
  const option = (key: string) =>
    options
      .split(',')
      .map((pair) => pair.split('='))
      .find(([name]) => name?.trim() === key)?.[1];
  if (reporter === 'mocha-junit-reporter') {
    const file = env.MOCHA_FILE ?? option('mochaFile') ?? 'test-results.xml';
    if (file.includes('[hash]') || file.includes('${{') || posix.isAbsolute(file)) return { kind: 'unknown' };
    return { kind: 'file', path: repoPath(cwd, file), reporter: 'mocha-junit-reporter' };
  }
  if (reporter === 'xunit') {
    const file = option('output');
    return file
      ? { kind: 'file', path: repoPath(cwd, file) }
      : {
          kind: 'missing',
          problem: "mocha's xunit reporter prints to the console: add --reporter-options output={junit}",
        };
  }
  if (reporter === undefined || CONSOLE_REPORTERS.includes(reporter))
    return {
      kind: 'missing',
      problem: `mocha's reporter is ${reporter ?? 'spec'}, which writes no JUnit: add --reporter mocha-junit-reporter --reporter-options mochaFile={junit}`,
    };
  return { kind: 'unknown' };
}

/** Reporter options as the flag writes them (`a=1,b=2`), from a list, an object or a string. */
function reporterOptions(raw: unknown): string {
  if (Array.isArray(raw)) return raw.join(',');
  if (raw && typeof raw === 'object')
    return Object.entries(raw)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(',');
  return typeof raw === 'string' ? raw : '';
}
