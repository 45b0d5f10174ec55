/**
 * Where a suite's test runner writes its JUnit file, read from the runner's own configuration:
 * Jest (jest-junit), Karma (karma-junit-reporter, also through `ng test`), Mocha
 * (mocha-junit-reporter) and Vitest. `waggle init` uses it to write junit paths that will exist;
 * `waggle validate` warns where a suite's junit path will not be written.
 *
 * Pure over file contents: files are read through `read` by paths relative to the repository
 * root, configs are read as text and never run, and what text cannot tell is `unknown`.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { toArgv } from '../exec/argv.js';
import type { ConfigIssue } from './errors.js';
import { isInside } from './paths.js';
import type { Command, Config } from './schema.js';

/** A file's text by its path relative to the repository root; undefined when it cannot be read. */
export type ReadFile = (path: string) => string | undefined;

export type Runner = 'jest' | 'karma' | 'mocha' | 'vitest' | 'ng' | 'playwright' | 'cypress';

/** One runner started by a command or an npm script. */
export interface Invocation {
  runner: Runner;
  /** The runner's words, from its own name on: ['jest', '--runInBand']. */
  words: string[];
  /** Words before it that it runs under (nyc, c8, node --flag, dotenv -e .env --). */
  wrappers: string[];
  /** Variables set on the command line (NODE_ENV=test jest, cross-env). */
  env: Record<string, string>;
  /** Folder it runs in, relative to the package: "." unless the script changes folder. */
  cwd: string;
  /** The npm script it is written in; `last` when it is that script's last command. */
  script?: string;
  last: boolean;
}

/** Where the JUnit file goes: a path relative to the repository root, nowhere (and why), or unknown. */
export type JUnitOutput =
  | { kind: 'file'; path: string; reporter?: string }
  | { kind: 'missing'; problem: string }
  | { kind: 'unknown' };

// ---------------------------------------------------------------------------------------------
// Commands and npm scripts -> invocations

const MAX_SCRIPT_DEPTH = 12;
const RUNNER_BINS: Record<string, Runner> = {
  jest: 'jest',
  mocha: 'mocha',
  _mocha: 'mocha',
  vitest: 'vitest',
  karma: 'karma',
  ng: 'ng',
  '@angular/cli': 'ng',
  playwright: 'playwright',
  '@playwright/test': 'playwright',
  cypress: 'cypress',
};
/** A runner name only counts with a subcommand that runs tests (ng build is no test run). */
const SUBCOMMANDS: Partial<Record<Runner, (next: string | undefined) => boolean>> = {
  ng: (next) => next === 'test' || next === 't',
  karma: (next) => next === 'start',
  playwright: (next) => next === 'test',
  cypress: (next) => next === 'run',
  vitest: (next) => next === undefined || !['bench', 'list', 'init'].includes(next),
};

/** The runners an npm script starts, following `npm run`, `npm test`, run-s, run-p and concurrently. */
export function scriptInvocations(scripts: Record<string, string>, name: string): Invocation[] {
  return followScript(scripts, name, [], []);
}

/**
 * The runners a suite's command starts: `npx jest ...` directly, or `npm test` / `npm run X -- args`
 * through the package's scripts. Empty when it starts no runner known here.
 */
export function commandInvocation(argv: readonly string[], scripts: Record<string, string>): Invocation[] {
  return segmentInvocations([...argv], scripts, [], '.', undefined, true, { cwd: '.' });
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
  const state = { cwd: '.' };
  const found = segments.flatMap((words, index) =>
    segmentInvocations(
      words,
      scripts,
      [...seen, name],
      state.cwd,
      name,
      index === segments.length - 1,
      state,
    ),
  );
  const last = found.at(-1);
  if (extra.length > 0 && last?.last) last.words.push(...extra);
  return found;
}

function segmentInvocations(
  segment: string[],
  scripts: Record<string, string>,
  seen: readonly string[],
  cwd: string,
  script: string | undefined,
  last: boolean,
  state: { cwd: string },
): Invocation[] {
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
          segmentInvocations(inner, scripts, seen, cwd, undefined, false, { cwd }),
        ),
      ),
    ];
  }
  const found = runnerIn(words);
  return found
    ? [{ ...found, env, cwd, ...(script ? { script } : {}), last: last && script !== undefined }]
    : [];
}

function takeAssignments(words: string[], env: Record<string, string>): string[] {
  let index = 0;
  for (; index < words.length; index++) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(words[index] ?? '');
    if (!match) break;
    env[match[1] as string] = match[2] as string;
  }
  return words.slice(index);
}

/** `npm run X -- args`, `yarn X`, `run-s a b`, `concurrently "npm:a" "jest"`: what it runs. */
function scriptCall(
  words: string[],
  scripts: Record<string, string>,
): { scripts: string[]; extra: string[]; commands: string[] } | undefined {
  const [tool, ...rest] = words;
  const dash = rest.indexOf('--');
  const before = dash === -1 ? rest : rest.slice(0, dash);
  const after = dash === -1 ? [] : rest.slice(dash + 1);
  const positional = before.filter((word) => !word.startsWith('-'));
  if (tool === 'npm') {
    const [verb, name] = positional;
    if (verb === 'test' || verb === 't' || verb === 'tst')
      return { scripts: ['test'], extra: after, commands: [] };
    if ((verb === 'run' || verb === 'run-script' || verb === 'rum') && name)
      return { scripts: [name], extra: after, commands: [] };
    return undefined;
  }
  if (tool === 'yarn' || tool === 'pnpm' || tool === 'bun') {
    const [first, ...others] = positional;
    const name = first === 'run' ? others[0] : first;
    if (!name || !(name in scripts)) return undefined;
    const extraStart = first === 'run' ? 2 : 1;
    return { scripts: [name], extra: [...positional.slice(extraStart), ...after], commands: [] };
  }
  if (tool === 'run-s' || tool === 'run-p' || tool === 'npm-run-all') {
    const names = positional.flatMap((pattern) => expandScriptPattern(pattern, scripts));
    return { scripts: names, extra: [], commands: [] };
  }
  if (tool === 'concurrently') {
    const valueFlags = new Set([
      '-n',
      '--names',
      '-c',
      '--prefix-colors',
      '-p',
      '--prefix',
      '-m',
      '--max-processes',
    ]);
    const commands: string[] = [];
    const names: string[] = [];
    for (let index = 0; index < rest.length; index++) {
      const word = rest[index] as string;
      if (valueFlags.has(word)) index++;
      else if (word.startsWith('npm:')) names.push(...expandScriptPattern(word.slice(4), scripts));
      else if (!word.startsWith('-')) commands.push(word);
    }
    return { scripts: names, extra: [], commands };
  }
  return undefined;
}

/** npm-run-all globs: `*` stays within a `:` segment, `**` crosses them. */
function expandScriptPattern(pattern: string, scripts: Record<string, string>): string[] {
  if (!pattern.includes('*')) return [pattern];
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^:]*'),
    )
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return Object.keys(scripts).filter((name) => regex.test(name));
}

/** The first word that is a known runner (with a subcommand that runs tests), and what wraps it. */
function runnerIn(words: string[]): Omit<Invocation, 'env' | 'cwd' | 'script' | 'last'> | undefined {
  // What only finds the binary (npx jest, npm exec -- jest, yarn jest) is not kept as a wrapper.
  let start = 0;
  if (['npx', 'pnpx', 'bunx', 'yarn', 'pnpm'].includes(words[0] ?? '')) start = 1;
  else if (words[0] === 'npm' && (words[1] === 'exec' || words[1] === 'x')) start = 2;
  if (start > 0 && ['exec', 'dlx'].includes(words[start] ?? '')) start++;
  while (words[start]?.startsWith('-')) start++;
  for (let index = start; index < words.length; index++) {
    const runner = RUNNER_BINS[binName(words[index] as string)];
    if (!runner) continue;
    const accepts = SUBCOMMANDS[runner];
    if (accepts && !accepts(words[index + 1])) return undefined;
    return { runner, words: words.slice(index), wrappers: words.slice(start, index) };
  }
  return undefined;
}

/** `node_modules/.bin/jest`, `node_modules/jest/bin/jest.js`, `jest` -> `jest`. */
function binName(word: string): string {
  const at = word.lastIndexOf('node_modules/');
  if (at !== -1) {
    const rest = word.slice(at + 'node_modules/'.length);
    if (rest.startsWith('.bin/')) return rest.slice(5);
    const parts = rest.split('/');
    return rest.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  }
  return posix.basename(word).replace(/\.(c|m)?js$/, '');
}

/**
 * A shell command line split into commands (at &&, ||, ;, | and &) of words, with quotes
 * grouping and redirections dropped. Good enough for package.json scripts; nothing is expanded.
 */
export function shellSegments(line: string): string[][] {
  const segments: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  let dropNext = false;
  const endWord = () => {
    if (inWord && !dropNext) words.push(word);
    else if (inWord) dropNext = false;
    word = '';
    inWord = false;
  };
  const endSegment = () => {
    endWord();
    if (words.length > 0) segments.push(words);
    words = [];
  };
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < line.length) word += line[++index];
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < line.length) {
      word += line[++index];
      inWord = true;
    } else if (char === '>' || char === '<') {
      if (/^\d*$/.test(word)) inWord = false;
      endWord();
      if (line[index + 1] === '>') index++;
      if (line[index + 1] === '&') {
        index++;
        while (/\d/.test(line[index + 1] ?? '')) index++;
      } else dropNext = true;
    } else if (char === '&' || char === '|' || char === ';') {
      endSegment();
      if (line[index + 1] === char) index++;
    } else if (/\s/.test(char)) endWord();
    else {
      word += char;
      inWord = true;
    }
  }
  endSegment();
  return segments;
}

// ---------------------------------------------------------------------------------------------
// Flags on the command line

/** Every value of a flag: `--flag=v`, `--flag v` and the given short forms (`-c v`). */
export function flagValues(words: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as string;
    for (const name of names) {
      if (word.startsWith(`${name}=`)) values.push(word.slice(name.length + 1));
      else if (word === name && index + 1 < words.length) values.push(words[++index] as string);
    }
  }
  return values;
}

const NG_VALUE_FLAGS = [
  '--browsers',
  '--karma-config',
  '--reporters',
  '--output-file',
  '--configuration',
  '-c',
];

/** Words that are not flags nor the values of `valueFlags` written apart (`--browsers X`). */
export function positionals(words: readonly string[], valueFlags: readonly string[]): string[] {
  return words.filter((word, index) => !word.startsWith('-') && !valueFlags.includes(words[index - 1] ?? ''));
}

// ---------------------------------------------------------------------------------------------
// Config files read as text

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
function balanced(text: string, open: number): string | undefined {
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

/** A value written in a config: a string, a path built from __dirname, a boolean, or anything else. */
export type Written =
  | { kind: 'string'; value: string }
  | { kind: 'dirname'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'other' };

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
function topLevelKey(text: string, key: string): number | undefined {
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
function stringsIn(text: string): string[] {
  return [...text.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((match) => match[2] as string);
}

function readJson(read: ReadFile, path: string): Record<string, unknown> | undefined {
  const text = read(path);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function join(...parts: string[]): string {
  return posix.normalize(posix.join(...parts));
}

/** The first of `names` in `dir` that can be read, with its text. */
function firstFile(read: ReadFile, dir: string, names: readonly string[]) {
  for (const name of names) {
    const text = read(join(dir, name));
    if (text !== undefined) return { path: join(dir, name), text: stripComments(text) };
  }
  return undefined;
}

/** Paths from a config: relative to `base`, `<rootDir>` to `rootDir`, __dirname-based to `dir`. */
function placed(value: Written, base: string, dir: string, rootDir: string): string | undefined {
  if (value.kind === 'dirname') return join(dir, value.value);
  if (value.kind !== 'string' || posix.isAbsolute(value.value) || value.value.includes('${'))
    return undefined;
  if (value.value.startsWith('<rootDir>')) return join(rootDir, value.value.slice('<rootDir>'.length));
  return join(base, value.value);
}

// ---------------------------------------------------------------------------------------------
// Angular workspaces

export interface AngularProject {
  /** Folder holding angular.json, relative to the repository root. */
  workspace: string;
  name: string;
  /** The project's root and sourceRoot, relative to the repository root. */
  root: string;
  sourceRoot: string;
  /** The folder `ng build` writes, and the browser files inside it (the site). */
  outputBase: string;
  dist: string;
  /** How `ng test` runs: Karma (with its config file, when there is one), Vitest, or another builder. */
  test?: { runner: 'karma' | 'vitest' | 'other'; config?: string };
}

interface AngularJson {
  defaultProject?: string;
  projects?: Record<
    string,
    {
      projectType?: string;
      root?: string;
      sourceRoot?: string;
      architect?: Record<string, { builder?: string; options?: Record<string, unknown> }>;
    }
  >;
}

/** The application in `workspace`/angular.json (or the one named), as the CLI would pick it. */
export function angularProject(read: ReadFile, workspace: string, name?: string): AngularProject | undefined {
  const json = readJson(read, join(workspace, 'angular.json')) as AngularJson | undefined;
  const projects = Object.entries(json?.projects ?? {});
  const picked =
    projects.find(([key]) => key === (name ?? json?.defaultProject)) ??
    projects.find(([, project]) => project.projectType === 'application') ??
    projects[0];
  if (!picked) return undefined;
  const [projectName, project] = picked;
  const root = join(workspace, project.root ?? '');
  const build = project.architect?.build;
  const outputPath = build?.options?.outputPath;
  const outputBase = join(
    workspace,
    typeof outputPath === 'string'
      ? outputPath
      : typeof (outputPath as { base?: unknown })?.base === 'string'
        ? ((outputPath as { base: string }).base as string)
        : `dist/${projectName}`,
  );
  const browserFolder =
    outputPath &&
    typeof outputPath === 'object' &&
    typeof (outputPath as { browser?: unknown }).browser === 'string'
      ? (outputPath as { browser: string }).browser
      : 'browser';
  // The older browser builders write the site straight into outputPath.
  const flat = /:browser(-esbuild)?$/.test(build?.builder ?? '');
  const result: AngularProject = {
    workspace,
    name: projectName,
    root,
    sourceRoot: join(workspace, project.sourceRoot ?? posix.join(project.root ?? '', 'src')),
    outputBase,
    dist: flat || browserFolder === '' ? outputBase : join(outputBase, browserFolder),
  };
  const test = project.architect?.test;
  if (test) result.test = angularTest(read, workspace, root, test);
  return result;
}

function angularTest(
  read: ReadFile,
  workspace: string,
  root: string,
  target: { builder?: string; options?: Record<string, unknown> },
): AngularProject['test'] {
  const builder = target.builder ?? '';
  const options = target.options ?? {};
  if (/:karma$/.test(builder)) {
    const config = options.karmaConfig;
    return { runner: 'karma', ...(typeof config === 'string' ? { config: join(workspace, config) } : {}) };
  }
  if (/:unit-test$/.test(builder)) {
    if ((options.runner ?? 'vitest') !== 'karma') return { runner: 'vitest' };
    const config = options.runnerConfig;
    if (typeof config === 'string' && config !== '')
      return { runner: 'karma', config: join(workspace, config) };
    const standard = join(root, 'karma.conf.js');
    return config && read(standard) !== undefined
      ? { runner: 'karma', config: standard }
      : { runner: 'karma' };
  }
  return { runner: 'other' };
}

// ---------------------------------------------------------------------------------------------
// Each runner's JUnit file

/** Where an invocation's JUnit file goes. `pkg` is the package folder; `env` what the suite gets. */
export function junitOutput(
  invocation: Invocation,
  pkg: string,
  env: Record<string, string>,
  read: ReadFile,
): JUnitOutput {
  const cwd = join(pkg, invocation.cwd);
  const allEnv = { ...env, ...invocation.env };
  const words = invocation.words;
  switch (invocation.runner) {
    case 'jest':
      return jestOutput(words, cwd, pkg, allEnv, read);
    case 'mocha':
      return mochaOutput(words, cwd, pkg, allEnv, read);
    case 'vitest':
      return vitestOutput(words, cwd, read);
    case 'karma': {
      const [config] = flagValues(words, ['--config']);
      const positional = positionals(words.slice(2), ['--config', '--reporters', '--browsers', '--port'])[0];
      const file = join(cwd, config ?? positional ?? 'karma.conf.js');
      return karmaOutput(
        read(file) === undefined ? undefined : file,
        flagValues(words, ['--reporters']),
        read,
      );
    }
    case 'ng':
      return ngOutput(words, cwd, read);
    default:
      return { kind: 'unknown' };
  }
}

const JEST_CONFIGS = [
  'jest.config.js',
  'jest.config.ts',
  'jest.config.mjs',
  'jest.config.cjs',
  'jest.config.json',
];

function jestOutput(
  words: string[],
  cwd: string,
  pkg: string,
  env: Record<string, string>,
  read: ReadFile,
): JUnitOutput {
  const config = jestConfig(words, cwd, pkg, read);
  if (!config) return { kind: 'unknown' };
  const cliReporters = flagValues(words, ['--reporters']);
  let options: string | undefined;
  let hasJunit: boolean;
  if (cliReporters.length > 0) hasJunit = cliReporters.some((name) => binName(name) === 'jest-junit');
  else {
    const reporters = config.reporters;
    if (reporters === 'unknown') return { kind: 'unknown' };
    const junitAt = reporters ? /(['"])jest-junit\1/.exec(reporters) : null;
    hasJunit = junitAt !== null || /testResultsProcessor\s*:\s*(['"])jest-junit\1/.test(config.text);
    if (reporters && junitAt) {
      const after = reporters.slice(junitAt.index + junitAt[0].length);
      const open = /^\s*,\s*\{/.exec(after);
      if (open) options = balanced(after, open[0].length - 1);
    }
  }
  const fix = `add --reporters=default --reporters=jest-junit to the command and JEST_JUNIT_OUTPUT_FILE: {junit} to the package's env, or jest-junit to "reporters" in ${config.path}`;
  if (!hasJunit) return { kind: 'missing', problem: `jest has no jest-junit reporter: ${fix}` };

  // jest-junit's precedence: reporter options, then the "jest-junit" key of package.json, then env.
  const fromPackage = readJson(read, join(cwd, 'package.json'))?.['jest-junit'];
  const setting = (key: string, variable: string): Written | undefined => {
    if (env[variable] !== undefined)
      return env[variable].includes('${{') ? { kind: 'other' } : { kind: 'string', value: env[variable] };
    const packageValue = (fromPackage as Record<string, unknown> | undefined)?.[key];
    if (typeof packageValue === 'string') return { kind: 'string', value: packageValue };
    return options === undefined ? undefined : writtenValue(options, key);
  };
  const unique = setting('uniqueOutputName', 'JEST_JUNIT_UNIQUE_OUTPUT_NAME');
  const isFalse =
    unique?.kind === 'boolean' ? !unique.value : unique?.kind === 'string' && unique.value === 'false';
  if (unique && !isFalse) return { kind: 'unknown' };
  const file = setting('outputFile', 'JEST_JUNIT_OUTPUT_FILE');
  const where = (value: Written) => placed(value, cwd, config.dir, config.rootDir);
  let path: string | undefined;
  if (file) path = where(file);
  else {
    const directory = setting('outputDirectory', 'JEST_JUNIT_OUTPUT_DIR') ?? { kind: 'string', value: '.' };
    const name = setting('outputName', 'JEST_JUNIT_OUTPUT_NAME') ?? { kind: 'string', value: 'junit.xml' };
    const folder = where(directory);
    path = folder !== undefined && name.kind === 'string' ? join(folder, name.value) : undefined;
  }
  return path === undefined ? { kind: 'unknown' } : { kind: 'file', path, reporter: 'jest-junit' };
}

interface JestConfig {
  path: string;
  dir: string;
  rootDir: string;
  text: string;
  /** The reporters array's text, undefined when none is set, 'unknown' when it cannot be read. */
  reporters: string | undefined | 'unknown';
}

function jestConfig(words: string[], cwd: string, pkg: string, read: ReadFile): JestConfig | undefined {
  const [explicit] = flagValues(words, ['--config', '-c']);
  let found: { path: string; text: string } | undefined;
  if (explicit?.trimStart().startsWith('{')) found = { path: 'the --config option', text: explicit };
  else if (explicit) {
    const text = read(join(cwd, explicit));
    if (text === undefined) return undefined;
    found = { path: join(cwd, explicit), text: stripComments(text) };
  } else found = firstFile(read, cwd, JEST_CONFIGS);
  if (!found) {
    for (const dir of new Set([cwd, pkg])) {
      const manifest = readJson(read, join(dir, 'package.json'));
      if (manifest) {
        const jest = manifest.jest;
        found = { path: join(dir, 'package.json'), text: jest === undefined ? '{}' : JSON.stringify(jest) };
        break;
      }
    }
  }
  if (!found) return undefined;
  const dir = found.path.startsWith('the ') ? cwd : posix.dirname(found.path);
  const rootValue = writtenValue(found.text, 'rootDir');
  const [cliRoot] = flagValues(words, ['--rootDir']);
  const rootDir = cliRoot
    ? join(cwd, cliRoot)
    : rootValue?.kind === 'string'
      ? join(dir, rootValue.value)
      : rootValue?.kind === 'dirname'
        ? join(dir, rootValue.value)
        : dir;
  let reporters: JestConfig['reporters'];
  if (topLevelKey(found.text, 'reporters') !== undefined)
    reporters = blockOf(found.text, 'reporters') ?? 'unknown';
  else {
    // A preset's reporters apply when the config sets none; presets from node_modules set none.
    const preset = writtenValue(found.text, 'preset');
    if (preset?.kind === 'string' && preset.value.startsWith('.')) {
      const file = join(rootDir, preset.value);
      const text = read(file) ?? read(join(file, 'jest-preset.js')) ?? read(join(file, 'jest-preset.json'));
      const presetText = text === undefined ? undefined : stripComments(text);
      reporters =
        presetText === undefined
          ? 'unknown'
          : topLevelKey(presetText, 'reporters') === undefined
            ? undefined
            : (blockOf(presetText, 'reporters') ?? 'unknown');
      if (presetText !== undefined) found = { path: found.path, text: `${found.text}\n${presetText}` };
    } else if (preset && preset.kind !== 'string') reporters = 'unknown';
  }
  return { path: found.path, dir, rootDir, text: found.text, reporters };
}

const MOCHA_CONFIGS = [
  '.mocharc.js',
  '.mocharc.cjs',
  '.mocharc.yaml',
  '.mocharc.yml',
  '.mocharc.jsonc',
  '.mocharc.json',
];

function mochaOutput(
  words: string[],
  cwd: string,
  pkg: string,
  env: Record<string, string>,
  read: ReadFile,
): JUnitOutput {
  let reporter = flagValues(words, ['--reporter', '-R']).at(-1);
  let options = flagValues(words, ['--reporter-options', '--reporter-option', '-O']).join(',');
  if (!reporter) {
    const [explicit] = flagValues(words, ['--config']);
    const file = explicit
      ? { path: join(cwd, explicit), text: stripComments(read(join(cwd, explicit)) ?? '') }
      : firstFile(read, cwd, MOCHA_CONFIGS);
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
    } else config = readJson(read, join(pkg, 'package.json'))?.mocha as Record<string, unknown> | undefined;
    if (config) {
      reporter = typeof config.reporter === 'string' ? config.reporter : undefined;
      const raw = config['reporter-option'] ?? config['reporter-options'] ?? config.reporterOptions;
      options = Array.isArray(raw)
        ? raw.join(',')
        : raw && typeof raw === 'object'
          ? Object.entries(raw)
              .map(([key, value]) => `${key}=${String(value)}`)
              .join(',')
          : typeof raw === 'string'
            ? raw
            : '';
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
    return { kind: 'file', path: join(cwd, file), reporter: 'mocha-junit-reporter' };
  }
  if (reporter === 'xunit') {
    const file = option('output');
    return file
      ? { kind: 'file', path: join(cwd, file) }
      : {
          kind: 'missing',
          problem: "mocha's xunit reporter prints to the console: add --reporter-options output={junit}",
        };
  }
  const builtIn = [
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
  if (reporter === undefined || builtIn.includes(reporter))
    return {
      kind: 'missing',
      problem: `mocha's reporter is ${reporter ?? 'spec'}, which writes no JUnit: add --reporter mocha-junit-reporter --reporter-options mochaFile={junit}`,
    };
  return { kind: 'unknown' };
}

const VITEST_CONFIGS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].flatMap((ext) => [
  `vitest.config.${ext}`,
  `vite.config.${ext}`,
]);

function vitestOutput(words: string[], cwd: string, read: ReadFile): JUnitOutput {
  if (flagValues(words, ['--root', '-r', '--dir']).length > 0) return { kind: 'unknown' };
  const [explicit] = flagValues(words, ['--config', '-c']);
  const file = explicit
    ? { path: join(cwd, explicit), text: stripComments(read(join(cwd, explicit)) ?? '') }
    : firstFile(read, cwd, VITEST_CONFIGS);
  const test = file ? (blockOf(file.text, 'test') ?? '') : '';
  if (file && writtenValue(test, 'root')) return { kind: 'unknown' };
  const cliReporters = flagValues(words, ['--reporter']);
  const configReporters = blockOf(test, 'reporters');
  const reporters =
    cliReporters.length > 0 ? cliReporters : configReporters ? stringsIn(configReporters) : [];
  const fix = 'add --reporter=default --reporter=junit --outputFile.junit={junit}';
  if (!reporters.includes('junit'))
    return { kind: 'missing', problem: `vitest has no junit reporter: ${fix}` };
  const cliFile =
    flagValues(words, ['--outputFile.junit']).at(-1) ?? flagValues(words, ['--outputFile']).at(-1);
  let output: Written | undefined = cliFile === undefined ? undefined : { kind: 'string', value: cliFile };
  if (!output) {
    const value = writtenValue(test, 'outputFile');
    const block = blockOf(test, 'outputFile');
    output = block ? writtenValue(block, 'junit') : value;
  }
  if (!output) return { kind: 'missing', problem: `vitest's junit reporter prints to the console: ${fix}` };
  const path = placed(output, cwd, file ? posix.dirname(file.path) : cwd, cwd);
  return path === undefined ? { kind: 'unknown' } : { kind: 'file', path };
}

/** `ng test`: Karma or Vitest, as the project's test target says. */
function ngOutput(words: string[], cwd: string, read: ReadFile): JUnitOutput {
  const projectName = positionals(words.slice(2), NG_VALUE_FLAGS)[0];
  const project = angularProject(read, cwd, projectName);
  if (!project?.test) return { kind: 'unknown' };
  const reporters = flagValues(words, ['--reporters']);
  if (project.test.runner === 'karma') {
    const [override] = flagValues(words, ['--karma-config', '--karmaConfig']);
    return karmaOutput(override ? join(cwd, override) : project.test.config, reporters, read);
  }
  if (project.test.runner !== 'vitest') return { kind: 'unknown' };
  const file = flagValues(words, ['--output-file', '--outputFile']).at(-1);
  if (reporters.includes('junit') && file) return { kind: 'file', path: join(cwd, file) };
  return {
    kind: 'missing',
    problem:
      'ng test (Vitest) writes no JUnit file: add --reporters=junit --reporters=default --output-file={junit}',
  };
}

const KARMA_SETUP =
  "add 'junit' to reporters (and require('karma-junit-reporter') to plugins) and junitReporter: { outputDir, outputFile: 'junit.xml', useBrowserName: false }";

/** Karma through karma-junit-reporter: its reporters, plugins and junitReporter block. */
export function karmaOutput(
  config: string | undefined,
  cliReporters: readonly string[],
  read: ReadFile,
): JUnitOutput {
  if (config === undefined)
    return {
      kind: 'missing',
      problem: `Karma runs with Angular's built-in config, which has no JUnit reporter: write karma.conf.js with "ng generate config karma", then ${KARMA_SETUP}`,
    };
  const raw = read(config);
  if (raw === undefined) return { kind: 'unknown' };
  const whole = stripComments(raw);
  const set = /config\.set\(\s*\{/.exec(whole);
  const text = (set && balanced(whole, set.index + set[0].length - 1)) ?? whole;
  const block = blockOf(text, 'reporters');
  if (cliReporters.length === 0 && block === undefined && topLevelKey(text, 'reporters') !== undefined)
    return { kind: 'unknown' };
  const reporters = cliReporters.length > 0 ? [...cliReporters] : block ? stringsIn(block) : ['progress'];
  if (!reporters.includes('junit'))
    return { kind: 'missing', problem: `${config} has no junit reporter: ${KARMA_SETUP}` };
  const plugins = blockOf(text, 'plugins');
  if (plugins !== undefined && !plugins.includes('karma-junit-reporter') && !/karma-\*/.test(plugins))
    return {
      kind: 'missing',
      problem: `${config} lists plugins without karma-junit-reporter: add require('karma-junit-reporter')`,
    };
  const dir = posix.dirname(config);
  const options = blockOf(text, 'junitReporter') ?? '';
  const useBrowserName = writtenValue(options, 'useBrowserName');
  if (useBrowserName === undefined || (useBrowserName.kind === 'boolean' && useBrowserName.value))
    return {
      kind: 'missing',
      problem: `${config} puts the JUnit file in a folder named after the browser and its version: set useBrowserName: false in junitReporter`,
    };
  if (useBrowserName.kind !== 'boolean') return { kind: 'unknown' };
  const basePath = writtenValue(text, 'basePath');
  const base = basePath === undefined ? dir : placed(basePath, dir, dir, dir);
  const outputDir = writtenValue(options, 'outputDir');
  const folder = base === undefined ? undefined : outputDir ? placed(outputDir, base, dir, base) : base;
  const outputFile = writtenValue(options, 'outputFile');
  if (folder === undefined || (outputFile && outputFile.kind !== 'string')) return { kind: 'unknown' };
  if (outputFile?.kind === 'string' && posix.isAbsolute(outputFile.value)) return { kind: 'unknown' };
  const name = outputFile?.kind === 'string' ? outputFile.value : 'TESTS.xml';
  return { kind: 'file', path: join(folder, name), reporter: 'karma-junit-reporter' };
}

// ---------------------------------------------------------------------------------------------
// The check behind `waggle validate`

export interface SuiteUnderCheck {
  /** Where the suite is in waggle.yml, for the warning: packages.app.test[1]. */
  at: string;
  /** The package folder, relative to the repository root. */
  pkg: string;
  run: Command;
  junit: string;
  /** What the suite's processes get: the package's env and its services' env. */
  env: Record<string, string>;
}

/**
 * Warnings for a suite whose runner, by its own configuration, will not write the JUnit file the
 * suite names (or will write it where the suite does not look). Silent when it cannot tell.
 */
export function junitWarnings(suite: SuiteUnderCheck, read: ReadFile): ConfigIssue[] {
  if (suite.junit === 'none') return [];
  let argv: string[];
  try {
    argv = toArgv(suite.run);
  } catch {
    return [];
  }
  const manifest = readJson(read, join(suite.pkg, 'package.json'));
  const scripts = (manifest?.scripts ?? {}) as Record<string, string>;
  const invocations = commandInvocation(argv, scripts).filter(
    (invocation) => invocation.runner !== 'playwright' && invocation.runner !== 'cypress',
  );
  if (invocations.length !== 1) return [];
  const invocation = invocations[0] as Invocation;
  const output = junitOutput(invocation, suite.pkg, suite.env, read);
  const at = `${suite.at}.junit`;
  const expected = join(suite.pkg, suite.junit);
  const runner = invocation.runner === 'ng' ? 'ng test' : invocation.runner;
  if (output.kind === 'missing')
    return [
      {
        path: at,
        message: `${suite.junit} will not be written: ${output.problem.replaceAll('{junit}', suite.junit)}`,
      },
    ];
  if (output.kind !== 'file') return [];
  const issues: ConfigIssue[] = [];
  if (output.path !== expected)
    issues.push({
      path: at,
      message: `${runner} writes its JUnit file to ${posix.relative(suite.pkg || '.', output.path) || output.path} (relative to the package), not ${suite.junit}`,
    });
  if (output.reporter && !declares(read, suite.pkg, output.reporter))
    issues.push({
      path: at,
      message: `${output.reporter} is not in the devDependencies of ${join(suite.pkg, 'package.json')} or the root package.json: npm install --save-dev ${output.reporter}`,
    });
  return issues;
}

/** Whether the package's package.json, or the repository root's, lists `dependency`. */
export function declares(read: ReadFile, pkg: string, dependency: string): boolean {
  return [join(pkg, 'package.json'), 'package.json'].some((path) => {
    const manifest = readJson(read, path);
    return ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].some(
      (key) => (manifest?.[key] as Record<string, unknown> | undefined)?.[dependency] !== undefined,
    );
  });
}

/** The warnings of every suite in a config whose runner will not write the JUnit file it names. */
export function configJUnitWarnings(config: Config, read: ReadFile): ConfigIssue[] {
  return Object.entries(config.packages).flatMap(([name, pkg]) => {
    if (pkg.test === false) return [];
    const named = Array.isArray(pkg.test);
    const suites = Array.isArray(pkg.test) ? pkg.test : [pkg.test];
    return suites.flatMap((suite, index) => {
      const services = suite.services.map((service) => config.services[service]?.env ?? {});
      return junitWarnings(
        {
          at: named ? `packages.${name}.test[${index}]` : `packages.${name}.test`,
          pkg: pkg.path,
          run: suite.run,
          junit: suite.junit,
          env: Object.assign({}, pkg.env, ...services),
        },
        read,
      );
    });
  });
}

const MAX_READ_BYTES = 256 * 1024;

/**
 * Reads the repository's files by relative path for the functions above: nothing outside it
 * (symbolic links included, as waggle.yml and the configs come from a pushed commit), nothing large.
 */
export function fileReader(root: string): ReadFile {
  let base: string;
  try {
    base = realpathSync(root);
  } catch {
    return () => undefined;
  }
  return (path) => {
    try {
      const file = realpathSync(resolve(base, path));
      if (!isInside(base, file)) return undefined;
      const stats = statSync(file);
      if (!stats.isFile() || stats.size > MAX_READ_BYTES) return undefined;
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}
