/**
 * A first waggle.yml from what a repository already says. npm workspaces, or the one package at
 * the root, become packages; an Angular project makes a package a site and a start script a
 * service; every test runner the scripts start (and an Angular test target) becomes a suite whose
 * command ends and writes JUnit; a MongoDB URL in the tests' setup becomes a service. What cannot
 * be known here (hosts, contacts, what starts a database) is left as TODO comments.
 */
import { type Dirent, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { Document, isMap, isSeq, type Node as YamlNode } from 'yaml';
import { type PackageManifest, readManifest } from '../workspace/graph.js';
import {
  type AngularProject,
  angularProject,
  declares,
  fileReader,
  flagValues,
  type Invocation,
  junitOutput,
  positionals,
  type ReadFile,
  scriptInvocations,
  shellSegments,
  stripComments,
} from './junit-check.js';

type Argv = string[];
type YamlPath = (string | number)[];

export interface DetectedSuite {
  name?: string;
  run: Argv;
  junit: string;
  services?: string[];
  inputs?: string[];
}

export interface DetectedPackage {
  path: string;
  build?: Argv | false;
  outputs?: string[];
  service?: { port: number; start?: Argv };
  site?: { dist: string };
  test?: DetectedSuite | DetectedSuite[] | false;
  env?: Record<string, string>;
}

export interface DetectedService {
  run: Argv;
  ready: { tcp: number };
  env: Record<string, string>;
}

export interface Detection {
  name: string;
  packages: Record<string, DetectedPackage>;
  services: Record<string, DetectedService>;
  /** End-to-end projects found: folders for environments.<name>.e2e, left as a TODO. */
  e2e: { path: string; tool: 'playwright' | 'cypress' }[];
  /** Comments for the written YAML, each placed before the node at its path. */
  notes: { at: YamlPath; lines: string[] }[];
}

const FIRST_SERVICE_PORT = 4001;
const FRONT_END_FOLDERS = ['client', 'frontend', 'front-end', 'web', 'app', 'ui', 'angular'];
const BACK_END_FOLDERS = ['server', 'backend', 'back-end', 'api'];
const UNIT_RUNNERS = new Set(['jest', 'karma', 'mocha', 'vitest', 'ng']);
const CHROMIUM = '/usr/bin/chromium';
const HEADLESS_LAUNCHER = 'ChromeHeadlessCI';
const MONGO_SERVICE = 'mongodb';
/** Test helpers that start a MongoDB of their own: such suites need no service. */
const SELF_STARTED_MONGO = /MongoMemoryServer|mongodb-memory-server|CongoServer|globalSetup[^\n]*mongo/i;

export function detectRepository(root: string): Detection {
  if (!existsSync(join(root, 'package.json')))
    throw new Error(`${root} has no package.json: waggle builds npm projects`);
  const manifest = readManifest(root);
  const patterns = Array.isArray(manifest.workspaces)
    ? manifest.workspaces
    : (manifest.workspaces?.packages ?? []);
  const folders = patterns.length > 0 ? patterns.flatMap((pattern) => expand(root, pattern)) : ['.'];
  const detection: Detection = {
    name: packageName(manifest, basename(root)),
    packages: {},
    services: {},
    e2e: [],
    notes: [],
  };
  const context = { root, read: fileReader(root), detection, port: FIRST_SERVICE_PORT };
  for (const folder of folders) {
    const own = readManifest(join(root, folder));
    // A Playwright suite tests a deployed environment (environments.<name>.e2e), not a build.
    if (folder !== '.' && (dependsOn(own, '@playwright/test') || dependsOn(own, 'cypress'))) {
      detection.e2e.push({ path: folder, tool: dependsOn(own, 'cypress') ? 'cypress' : 'playwright' });
      continue;
    }
    const name = uniqueName(packageName(own, folder), Object.keys(detection.packages));
    detection.packages[name] = detectPackage(context, name, folder, own);
  }
  return detection;
}

/** The packages alone, as waggle.yml would hold them. */
export function detectPackages(root: string): Record<string, DetectedPackage> {
  return detectRepository(root).packages;
}

export function initialConfig(root: string, branch: string): string {
  return renderConfig(detectRepository(root), branch);
}

interface Context {
  root: string;
  read: ReadFile;
  detection: Detection;
  port: number;
}

function detectPackage(
  context: Context,
  name: string,
  folder: string,
  manifest: PackageManifest,
): DetectedPackage {
  const { read, detection } = context;
  const at: YamlPath = ['packages', name];
  const note = (path: YamlPath, lines: string[]) => detection.notes.push({ at: [...at, ...path], lines });
  const scripts = manifest.scripts ?? {};
  const angular = findAngular(read, folder);
  const pkg: DetectedPackage = { path: folder, build: scripts.build ? ['npm', 'run', 'build'] : false };

  if (angular) {
    const base = fromPackage(folder, angular.outputBase);
    if (base !== 'dist' && !base.startsWith('dist/')) pkg.outputs = [base];
    pkg.site = { dist: fromPackage(folder, angular.dist) };
    const server = BACK_END_FOLDERS.find((dir) => isFolder(context.root, join(folder, dir)));
    if (server && dependsOn(manifest, 'express'))
      note(
        ['site'],
        [
          `${server}/ holds an Express server: its tests run here, but a package is released as a site`,
          'or a service, not both, and this one is released as the Angular site.',
        ],
      );
  } else if (scripts.start) {
    pkg.service = { port: context.port++, ...serviceStart(context, folder, scripts, pkg, note) };
  }

  findE2e(context, folder, manifest, scripts);
  const suites = detectSuites(context, folder, manifest, angular);
  pkg.test = suites.test;
  if (suites.env && Object.keys(suites.env).length > 0) pkg.env = suites.env;
  for (const { path, lines } of suites.notes) note(path, lines);
  return pkg;
}

/** How the service starts in its release folder, when the start script says so plainly. */
function serviceStart(
  context: Context,
  folder: string,
  scripts: Record<string, string>,
  pkg: DetectedPackage,
  note: (path: YamlPath, lines: string[]) => void,
): { start?: Argv } {
  const segments = shellSegments(scripts.start ?? '');
  const words = segments.length === 1 ? (segments[0] as string[]) : [];
  if (words[0] !== 'node' || words.length < 2) {
    note(
      ['service'],
      [
        `TODO: the start script runs "${scripts.start}"; a release starts "node dist/index.js"`,
        'unless service.start says otherwise (a plain node command, no shell).',
      ],
    );
    return {};
  }
  const entry = words.slice(1).find((word) => !word.startsWith('-')) ?? '';
  if (!scripts.build && entry && !entry.startsWith('dist/')) {
    // Without a build, the sources are what a release runs: package them instead of dist.
    const top = entry.split('/')[0] as string;
    const sources = entry.includes('/')
      ? [top]
      : [entry, ...SOURCE_FOLDERS.filter((dir) => isFolder(context.root, join(folder, dir)))];
    pkg.outputs = sources;
    note(
      ['outputs'],
      ['What a release of this service holds besides node_modules: check it lists every source.'],
    );
  }
  return words.join(' ') === 'node dist/index.js' ? {} : { start: words };
}

const SOURCE_FOLDERS = [
  'src',
  'lib',
  'routes',
  'models',
  'controllers',
  'config',
  'middleware',
  'services',
  'utils',
  'views',
  'public',
];

// ---------------------------------------------------------------------------------------------
// Suites

interface Suites {
  test: DetectedSuite | DetectedSuite[] | false;
  env?: Record<string, string>;
  notes: { path: YamlPath; lines: string[] }[];
}

interface Found {
  invocation: Invocation;
  /** The folder of the package the suite tests (client, server), when it is one. */
  area?: string;
  /** Whether the command must be narrowed to `area` (a shared Jest or Vitest config). */
  narrow?: boolean;
}

function detectSuites(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  angular: AngularProject | undefined,
): Suites {
  const scripts = manifest.scripts ?? {};
  const found = unitInvocations(scripts).map((invocation) => ({ invocation }) as Found);
  if (
    angular?.test &&
    !found.some(({ invocation }) => invocation.runner === 'ng' || invocation.runner === 'karma')
  )
    found.unshift({
      invocation: {
        runner: 'ng',
        words: ['ng', 'test'],
        wrappers: [],
        env: {},
        cwd: fromPackage(folder, angular.workspace),
        last: false,
      },
    });
  const notes: Suites['notes'] = [];
  if (found.length === 0) {
    const script = scripts.test;
    if (!script || /no test specified/.test(script)) return { test: false, notes };
    notes.push({
      path: ['test'],
      lines: [
        `TODO: waggle cannot tell which runner "npm test" starts ("${script}"), so it cannot tell`,
        'where its JUnit file goes: junit: none passes the suite on its exit code alone. Name the',
        'JUnit file here once the runner writes one, and make sure the command ends (no watch mode).',
      ],
    });
    return { test: { run: ['npm', 'test'], junit: 'none' }, notes };
  }

  for (const item of found) item.area = areaOf(context, folder, item.invocation, angular);
  if (found.length > 1) {
    const backEnd = BACK_END_FOLDERS.find((dir) => isFolder(context.root, join(folder, dir)));
    for (const item of found)
      if (!item.area && backEnd && ['jest', 'vitest', 'mocha'].includes(item.invocation.runner)) {
        item.area = backEnd;
        item.narrow = true;
      }
  }
  const names: string[] = [];
  for (const item of found) names.push(uniqueName(suiteName(item), names));

  const env: Record<string, string> = {};
  const suites = found.map((item, index) => {
    const name = names[index] as string;
    const single = found.length === 1;
    const target = single ? 'reports/junit.xml' : `reports/${name}/junit.xml`;
    const where: YamlPath = single ? ['test'] : ['test', index];
    const built = suiteCommand(context, folder, manifest, item, target, env, angular);
    for (const lines of built.notes) notes.push({ path: where, lines });
    for (const [key, { value, lines }] of Object.entries(built.env)) {
      if (env[key] !== undefined && env[key] !== value) {
        notes.push({
          path: where,
          lines: [`TODO: this suite needs ${key}=${value}, which another suite sets otherwise.`],
        });
        continue;
      }
      if (env[key] === undefined && lines) notes.push({ path: ['env', key], lines });
      env[key] = value;
    }
    const suite: DetectedSuite = { ...(single ? {} : { name }), run: built.run, junit: built.junit };
    const database =
      item.invocation.runner === 'ng' || item.invocation.runner === 'karma'
        ? undefined
        : mongoService(context, folder, manifest, item);
    if (database) suite.services = [database];
    if (!single && item.area) suite.inputs = [item.area];
    return suite;
  });
  return { test: suites.length === 1 ? (suites[0] as DetectedSuite) : suites, env, notes };
}

/** The unit-test runners CI would start: those of `npm test`, else of test:* scripts. */
function unitInvocations(scripts: Record<string, string>): Invocation[] {
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

/** The folder of the package a suite tests (client, server, test/unit), when its command or config says so. */
function areaOf(
  context: Context,
  folder: string,
  invocation: Invocation,
  angular: AngularProject | undefined,
): string | undefined {
  const inside = (path: string) => {
    const clean = posix.normalize(path).replace(/\/+$/, '');
    return clean === '.' || clean === '' || clean.startsWith('../') || clean === '..' ? undefined : clean;
  };
  if (invocation.runner === 'ng' || invocation.runner === 'karma') {
    if (!angular) return inside(invocation.cwd);
    const sourceTop = fromPackage(folder, angular.sourceRoot).split('/')[0] as string;
    return inside(fromPackage(folder, angular.root)) ?? inside(sourceTop);
  }
  if (invocation.cwd !== '.') return inside(invocation.cwd);
  const [config] = flagValues(invocation.words, ['--config', '-c']);
  if (config?.includes('/')) return inside(posix.dirname(config));
  const paths = positionals(invocation.words.slice(1), [
    '--config',
    '-c',
    '--reporter',
    '-R',
    '--require',
    '-r',
  ]);
  for (const word of paths) {
    // The folder part of a path or glob: server/**/*.spec.js -> server.
    const segments = posix.normalize(word).split('/');
    const glob = segments.findIndex((segment) => /[*?{[]/.test(segment));
    const part = inside(segments.slice(0, glob === -1 ? segments.length : glob).join('/'));
    for (const candidate of part ? [part, posix.dirname(part)] : [])
      if (inside(candidate) && isFolder(context.root, join(folder, candidate))) return candidate;
  }
  const jest = invocation.runner === 'jest' ? context.read(posix.join(folder, 'jest.config.js')) : undefined;
  const roots = jest && /roots\s*:\s*\[\s*['"]<rootDir>\/([\w./-]+?)\/?['"]/.exec(stripComments(jest));
  return roots?.[1] ? inside(roots[1]) : undefined;
}

function suiteName(item: Found): string {
  const fromScript = item.invocation.script?.replace(/^test[:_-]?/, '').replace(/[:_-]?test$/, '');
  const raw =
    (item.area && posix.basename(item.area)) ??
    (fromScript || undefined) ??
    (item.invocation.runner === 'ng' ? 'client' : item.invocation.runner);
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'unit'
  );
}

interface Built {
  run: Argv;
  junit: string;
  env: Record<string, { value: string; lines?: string[] }>;
  notes: string[][];
}

/** The suite's command: the runner's own words, run once, with what makes it write JUnit. */
function suiteCommand(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  item: Found,
  target: string,
  packageEnv: Record<string, string>,
  angular: AngularProject | undefined,
): Built {
  const { read } = context;
  const invocation = item.invocation;
  const cwd = posix.join(folder, invocation.cwd);
  const targetFromCwd = posix.relative(cwd, posix.join(folder, target)) || target;
  const built: Built = { run: [], junit: target, env: {}, notes: [] };
  for (const [key, value] of Object.entries(invocation.env))
    built.env[key] = {
      value,
      lines: [`Set by the "${invocation.script ?? 'test'}" script; the build step sees it too.`],
    };
  const existing = junitOutput(invocation, folder, {}, read);
  const writes = existing.kind === 'file';
  if (writes) built.junit = fromPackage(folder, existing.path);

  let words = [...invocation.words];
  const added: string[] = [];
  let reporter = writes ? existing.reporter : undefined;
  const angularRunner = angular?.test?.runner;
  const runner =
    invocation.runner !== 'ng' || angularRunner === 'karma' || angularRunner === undefined
      ? invocation.runner
      : angularRunner === 'vitest'
        ? 'ng-vitest'
        : 'ng-other';
  switch (runner) {
    case 'jest':
      words = words.filter((word) => !/^--watch(All)?(=true)?$/.test(word));
      if (!words.includes('--ci')) added.push('--ci');
      if (item.narrow && item.area) added.push(`--roots=${item.area}`);
      if (!writes) {
        added.push('--reporters=default', '--reporters=jest-junit');
        reporter = 'jest-junit';
        if (packageEnv.JEST_JUNIT_OUTPUT_FILE === undefined)
          built.env.JEST_JUNIT_OUTPUT_FILE = {
            value: targetFromCwd,
            lines: ['Where jest-junit writes the JUnit file (steps see only the variables named here).'],
          };
        else
          built.notes.push([
            `TODO: JEST_JUNIT_OUTPUT_FILE already serves another suite: set jest-junit's outputFile to ${target}`,
            "in this suite's jest config instead.",
          ]);
      }
      break;
    case 'vitest':
      if (words[1] === 'watch' || words[1] === 'dev') words[1] = 'run';
      else if (words[1] !== 'run' && words[1] !== 'related') words.splice(1, 0, 'run');
      words = words.filter((word) => word !== '--watch' && word !== '-w');
      if (item.narrow && item.area) added.push(item.area);
      if (!writes)
        added.push('--reporter=default', '--reporter=junit', `--outputFile.junit=${targetFromCwd}`);
      break;
    case 'mocha':
      words = words.filter((word) => word !== '--watch' && word !== '-w');
      if (existing.kind === 'missing') {
        added.push('--reporter', 'mocha-junit-reporter', '--reporter-options', `mochaFile=${targetFromCwd}`);
        reporter = 'mocha-junit-reporter';
        built.notes.push([
          'mocha-junit-reporter replaces the console reporter: the log shows no test names.',
        ]);
      } else if (!writes) built.notes.push([`TODO: check that mocha's reporter writes JUnit to ${target}.`]);
      break;
    case 'ng-vitest':
      words = words.filter((word) => !/^--watch(=true)?$/.test(word));
      added.push('--watch=false');
      if (!writes) added.push('--reporters=junit', '--reporters=default', `--output-file=${targetFromCwd}`);
      break;
    case 'ng-other':
      words = words.filter((word) => !/^--watch(=true)?$/.test(word));
      added.push('--watch=false');
      if (!writes)
        built.notes.push([`TODO: check that ng test's builder writes its JUnit file to ${target}.`]);
      break;
    case 'ng':
    case 'karma': {
      const karma = karmaSetup(context, folder, manifest, invocation, angular, target, writes);
      words = words.filter(
        (word, index) =>
          !/^--(watch|single-run|no-single-run|browsers)(=.*)?$/.test(word) &&
          !(words[index - 1] === '--browsers'),
      );
      added.push(
        ...(runner === 'ng'
          ? ['--watch=false', `--browsers=${karma.launcher}`]
          : ['--single-run', '--browsers', karma.launcher]),
      );
      Object.assign(built.env, karma.env);
      built.notes.push(...karma.notes);
      reporter = 'karma-junit-reporter';
      break;
    }
  }

  if (reporter && !declares(read, folder, reporter))
    built.notes.push([`TODO: npm install --save-dev ${reporter}: the runner needs it to write JUnit.`]);

  if (invocation.cwd === '.') {
    const first = invocation.wrappers[0] ?? words[0] ?? '';
    const npx = first !== 'node' && !first.includes('/') ? ['npx'] : [];
    built.run = [...npx, ...invocation.wrappers, ...words, ...added];
    return built;
  }
  // The runner runs from a subfolder (cd client && ng test): only its npm script can take it there.
  if (invocation.script && invocation.last) {
    built.run = ['npm', 'run', invocation.script, '--', ...added];
    if (watching(invocation))
      built.notes.push([
        `TODO: the "${invocation.script}" script runs in watch mode: remove its watch flag.`,
      ]);
  } else {
    const script = `test:${suiteName(item)}`;
    built.run = ['npm', 'run', script, '--', ...added];
    built.notes.push([
      `TODO: ${invocation.words[0]} must run from ${invocation.cwd}/, which no script ending in it does: add`,
      `"${script}": "cd ${invocation.cwd} && ${invocation.words.join(' ')}" to package.json's scripts.`,
    ]);
  }
  return built;
}

/** Whether the runner's own words put it in watch mode (it would never end). */
function watching(invocation: Invocation): boolean {
  const sub = invocation.words[1];
  return (
    invocation.words.some((word) => /^(--watch(All)?(=true)?|-w)$/.test(word)) ||
    (invocation.runner === 'vitest' && (sub === 'watch' || sub === 'dev'))
  );
}

/** What Karma needs to run headless once and write JUnit, from its config file. */
function karmaSetup(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  invocation: Invocation,
  angular: AngularProject | undefined,
  target: string,
  writes: boolean,
): { launcher: string; env: Built['env']; notes: string[][] } {
  const { read } = context;
  const cwd = posix.join(folder, invocation.cwd);
  const config =
    invocation.runner === 'karma'
      ? posix.join(
          cwd,
          positionals(invocation.words.slice(2), ['--browsers', '--reporters'])[0] ?? 'karma.conf.js',
        )
      : angular?.test?.config;
  const raw = config === undefined ? undefined : read(config);
  const text = raw === undefined ? '' : stripComments(raw);
  const launcher =
    /(\w+)\s*:\s*\{[^{}]*base\s*:\s*['"]ChromeHeadless['"]/.exec(text)?.[1] ?? HEADLESS_LAUNCHER;
  const notes: string[][] = [];
  const file = config ?? posix.join(angular?.root ?? cwd, 'karma.conf.js');
  const outputDir = posix.relative(posix.dirname(file), posix.join(folder, posix.dirname(target))) || '.';
  const steps: string[] = [];
  if (raw === undefined)
    steps.push(
      `Karma runs with Angular's built-in config: write one with "npx ng generate config karma"${angular ? ` in ${angular.workspace}/` : ''},`,
      "set karmaConfig (or runnerConfig: true) in angular.json's test options, then in it:",
    );
  if (!new RegExp(`\\b${launcher}\\s*:`).test(text))
    steps.push(
      `customLaunchers: { ${HEADLESS_LAUNCHER}: { base: 'ChromeHeadless',`,
      "  flags: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] } },",
    );
  if (!writes)
    steps.push(
      "reporters: [..., 'junit'], plugins: [..., require('karma-junit-reporter')],",
      `junitReporter: { outputDir: '${outputDir}', outputFile: '${posix.basename(target)}', useBrowserName: false },`,
    );
  if (steps.length > 0)
    notes.push([
      `TODO: Karma must run headless once and write ${target}; add to ${file}:`,
      ...steps.map((line) => `  ${line}`),
    ]);
  const env: Built['env'] = {};
  if (!/CHROME_BIN/.test(text) && !dependsOn(manifest, 'puppeteer'))
    env.CHROME_BIN = {
      value: CHROMIUM,
      lines: ["Where Chrome or Chromium is on the machine that runs the tests: Karma's launcher reads it."],
    };
  return { launcher, env, notes };
}

// ---------------------------------------------------------------------------------------------
// MongoDB for the tests

/** The service a suite needs when its tests' setup names a MongoDB URL and starts no server itself. */
function mongoService(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  item: Found,
): string | undefined {
  const texts = testTexts(context, folder, item);
  const uses = texts.filter((text) => /MONGO(DB)?_UR[IL]|mongodb(\+srv)?:\/\//.test(text));
  if (uses.length === 0 || texts.some((text) => SELF_STARTED_MONGO.test(text))) return undefined;
  const services = context.detection.services;
  if (services[MONGO_SERVICE]) return MONGO_SERVICE;
  const variable =
    uses.map((text) => /process\.env\.(\w*MONGO\w*)/.exec(text)?.[1]).find(Boolean) ??
    uses.map((text) => /\b(MONGO(?:DB)?_UR[IL])\b/.exec(text)?.[1]).find(Boolean) ??
    'MONGODB_URI';
  const url = uses
    .map((text) => /mongodb:\/\/(?:[^@/\s'"`]*@)?[^/:\s'"`]+(?::(\d+))?\/?([\w-]*)/.exec(text))
    .find(Boolean);
  const port = Number(url?.[1] ?? 27017);
  const database = url?.[2] || `${context.detection.name}-test`;
  const env = { [variable]: `mongodb://127.0.0.1:${port}/${database}` };
  const script = databaseScript(manifest.scripts ?? {});
  const about = [
    `The tests read ${variable}: waggle starts this service before the suites that list it, hands`,
    'them its env, and stops it when the run ends.',
  ];
  let lines: string[];
  if (script) {
    services[MONGO_SERVICE] = { run: script.run, ready: { tcp: port }, env: { ...script.env, ...env } };
    lines = [
      ...about,
      `run is the "${script.name}" script: check that it starts MongoDB in the foreground on 127.0.0.1:${port}.`,
    ];
  } else {
    services[MONGO_SERVICE] = {
      run: [
        'node',
        '-e',
        `console.error('services.${MONGO_SERVICE}.run in waggle.yml is a placeholder written by waggle init: replace it with the command that starts MongoDB'); process.exit(1)`,
      ],
      ready: { tcp: port },
      env,
    };
    lines = [
      `TODO: replace run with a command that starts MongoDB in the foreground on 127.0.0.1:${port}, e.g.`,
      `  run: [mongod, --port, "${port}", --bind_ip, 127.0.0.1, --dbpath, /var/lib/waggle-mongo]`,
      'waggle cannot know what starts your database: until then, run stops the run saying so.',
      ...about,
    ];
  }
  context.detection.notes.push({ at: ['services', MONGO_SERVICE], lines });
  return MONGO_SERVICE;
}

/** A script that starts the database (`"mongo": "node tools/mongo-stand-in.mjs"`), as argv. */
function databaseScript(
  scripts: Record<string, string>,
): { name: string; run: Argv; env: Record<string, string> } | undefined {
  const name = Object.keys(scripts).find(
    (key) =>
      /^(mongo|mongod|mongodb|db|database)([:_-](start|up|run|serve|server))?$/.test(key) ||
      /^(start|run)[:_-](mongo|mongod|mongodb|db)$/.test(key),
  );
  const segments = name ? shellSegments(scripts[name] as string) : [];
  if (!name || segments.length !== 1) return undefined;
  const env: Record<string, string> = {};
  const words = [...(segments[0] as string[])];
  while (/^[A-Za-z_]\w*=/.test(words[0] ?? '')) {
    const [key, ...value] = (words.shift() as string).split('=');
    env[key as string] = value.join('=');
  }
  if (words.length === 0 || /docker|seed|migrat/.test(words.join(' '))) return undefined;
  return { name, run: words, env };
}

const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'coverage',
  'reports',
  '.angular',
  '.waggle',
]);
const MAX_SCANNED_FILES = 400;

/** The text of a suite's runner config, its setup files and its test files. */
function testTexts(context: Context, folder: string, item: Found): string[] {
  const { read, root } = context;
  const cwd = posix.join(folder, item.invocation.cwd);
  const texts: string[] = [];
  const configs = [
    'jest.config.js',
    'jest.config.ts',
    'jest.config.cjs',
    'jest.config.mjs',
    'jest.config.json',
    '.mocharc.js',
    '.mocharc.cjs',
    '.mocharc.json',
    '.mocharc.yml',
    '.mocharc.yaml',
    'vitest.config.ts',
    'vitest.config.js',
    'vitest.config.mts',
    'vite.config.ts',
    'vite.config.js',
  ];
  const [explicit] = flagValues(item.invocation.words, ['--config', '-c']);
  for (const path of [
    ...(explicit ? [posix.join(cwd, explicit)] : []),
    ...configs.map((name) => posix.join(cwd, name)),
  ]) {
    const text = read(path);
    if (text === undefined) continue;
    texts.push(text);
    // Setup files the config names: './x.js', '<rootDir>/x.ts'.
    for (const match of text.matchAll(/['"](<rootDir>\/|\.{1,2}\/)([^'"]+\.[cm]?[jt]s)['"]/g)) {
      const base =
        match[1] === '<rootDir>/' ? posix.dirname(path) : posix.join(posix.dirname(path), match[1] as string);
      const referenced = read(posix.join(base, match[2] as string));
      if (referenced !== undefined) texts.push(referenced);
    }
  }
  const jest = (readJsonFile(read, posix.join(folder, 'package.json')) as { jest?: unknown } | undefined)
    ?.jest;
  if (jest) texts.push(JSON.stringify(jest));
  const start = item.area ? posix.join(folder, item.area) : folder;
  const pending = [start];
  let scanned = 0;
  while (pending.length > 0 && scanned < MAX_SCANNED_FILES) {
    const dir = pending.shift() as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(path);
      } else if (entry.isFile() && isTestFile(path) && scanned++ < MAX_SCANNED_FILES) {
        const text = read(path);
        if (text !== undefined) texts.push(text);
      }
    }
  }
  return texts;
}

function isTestFile(path: string): boolean {
  if (!/\.[cm]?[jt]sx?$/.test(path)) return false;
  return (
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) ||
    /(^|\/)(tests?|__tests__|specs?)\//.test(path) ||
    /setup|teardown/i.test(posix.basename(path))
  );
}

// ---------------------------------------------------------------------------------------------
// End-to-end projects

function findE2e(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  scripts: Record<string, string>,
) {
  const { detection } = context;
  const tools = (['playwright', 'cypress'] as const).filter(
    (tool) =>
      dependsOn(manifest, tool === 'playwright' ? '@playwright/test' : 'cypress') ||
      Object.keys(scripts).some((name) =>
        scriptInvocations(scripts, name).some((invocation) => invocation.runner === tool),
      ),
  );
  for (const tool of tools) {
    const configs = ['ts', 'js', 'mjs', 'cjs'].map((ext) => `${tool}.config.${ext}`);
    const places = [
      folder,
      ...['e2e', 'tests/e2e', 'client/e2e', 'cypress'].map((dir) => posix.join(folder, dir)),
    ];
    const place =
      places.find((dir) => configs.some((name) => existsSync(join(context.root, dir, name)))) ??
      places.slice(1).find((dir) => isFolder(context.root, dir)) ??
      folder;
    if (!detection.e2e.some((e2e) => e2e.path === posix.normalize(place)))
      detection.e2e.push({ path: posix.normalize(place), tool });
  }
}

// ---------------------------------------------------------------------------------------------
// Writing the YAML

/** The detection as waggle.yml text, with its notes and TODOs as comments. */
export function renderConfig(detection: Detection, branch: string): string {
  const config: Record<string, unknown> = {
    name: detection.name,
    trigger: { branches: [branch] },
    packages: detection.packages,
  };
  if (Object.keys(detection.services).length > 0) config.services = detection.services;
  const doc = new Document(config);
  flowLists(doc.contents as YamlNode);
  for (const { at, lines } of detection.notes) comment(doc, at, lines);
  doc.commentBefore = [
    ' Written by "waggle init" from what the repository says: check it, fill in the TODOs, then',
    ' run "waggle validate". Every option: "waggle schema", or the waggle.yml reference in the README.',
  ].join('\n');
  doc.comment = footer(detection)
    .map((line) => ` ${line}`)
    .join('\n');
  return doc.toString({ flowCollectionPadding: true, lineWidth: 0 });
}

function footer(detection: Detection): string[] {
  const e2e = detection.e2e[0];
  return [
    'TODO contacts: who hears about runs and releases, e.g.',
    'contacts:',
    '  - { name: team, email: team@example.com, on: [run.failed, approval.requested] }',
    '',
    'TODO environments: where releases go (waggle cannot know your servers), e.g.',
    'environments:',
    '  staging:',
    '    hosts: [{ name: staging-1, address: "${{ vars.STAGING_IP }}", roles: [web, api, db] }]',
    '    url: https://staging.example.com',
    ...(e2e
      ? [
          `    e2e: { path: ${e2e.path} }   # the ${e2e.tool === 'cypress' ? 'Cypress' : 'Playwright'} project found in ${e2e.path}`,
          ...(e2e.tool === 'cypress'
            ? ["    # (waggle's e2e step runs Playwright projects; Cypress needs a Playwright port)"]
            : []),
        ]
      : []),
    '  production:',
    '    after: staging',
    '    approval: { approvers: [your-github-login] }',
    '    hosts: [{ name: web-1, address: "${{ vars.WEB_IP }}", roles: [web] }]',
  ];
}

/** Argv lists and small maps on one line each: `run: [ npx, jest, --ci ]`. */
function flowLists(node: YamlNode | null | undefined, key?: unknown): void {
  if (isSeq(node)) {
    if (key !== 'branches' && node.items.every((item) => !isMap(item) && !isSeq(item))) node.flow = true;
    for (const item of node.items) flowLists(item as YamlNode);
  } else if (isMap(node)) {
    if (key === 'ready') node.flow = true;
    for (const pair of node.items) flowLists(pair.value as YamlNode, (pair.key as { value?: unknown }).value);
  }
}

function comment(doc: Document, at: YamlPath, lines: string[]): void {
  const parent = doc.getIn(at.slice(0, -1), true);
  const last = at.at(-1);
  let target: YamlNode | undefined;
  if (isSeq(parent) && typeof last === 'number') target = parent.items[last] as YamlNode;
  else if (isMap(parent))
    target = parent.items.find((pair) => (pair.key as { value?: unknown }).value === last)?.key as YamlNode;
  if (!target) return;
  const text = lines.map((line) => ` ${line}`).join('\n');
  target.commentBefore = target.commentBefore ? `${target.commentBefore}\n${text}` : text;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** "back-end/*" -> every folder with a package.json there; a plain path stands for itself. */
function expand(root: string, pattern: string): string[] {
  const clean = pattern.replace(/\/+$/, '');
  if (!clean.endsWith('/*')) return existsSync(join(root, clean, 'package.json')) ? [clean] : [];
  const parent = clean.slice(0, -2);
  if (!existsSync(join(root, parent))) return [];
  return readdirSync(join(root, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, parent, entry.name, 'package.json')))
    .map((entry) => `${parent}/${entry.name}`)
    .sort();
}

function packageName(manifest: PackageManifest, folder: string): string {
  const raw = (manifest.name ?? basename(folder)).replace(/^@[^/]+\//, '');
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'app'
  );
}

function uniqueName(name: string, taken: readonly string[]): string {
  let candidate = name;
  for (let n = 2; taken.includes(candidate); n++) candidate = `${name}-${n}`;
  return candidate;
}

/** The Angular workspace of a package: angular.json in its folder or in a front-end subfolder. */
function findAngular(read: ReadFile, folder: string): AngularProject | undefined {
  for (const dir of [folder, ...FRONT_END_FOLDERS.map((name) => posix.join(folder, name))]) {
    if (read(posix.join(dir, 'angular.json')) === undefined) continue;
    const project = angularProject(read, posix.normalize(dir));
    if (project) return project;
  }
  return undefined;
}

function dependsOn(manifest: PackageManifest, name: string): boolean {
  return Boolean(manifest.dependencies?.[name] ?? manifest.devDependencies?.[name]);
}

/** A repository path made relative to the package folder. */
function fromPackage(folder: string, path: string): string {
  return posix.relative(posix.normalize(folder), posix.normalize(path)) || '.';
}

function isFolder(root: string, path: string): boolean {
  try {
    return statSync(join(root, path)).isDirectory();
  } catch {
    return false;
  }
}

function readJsonFile(read: ReadFile, path: string): unknown {
  const text = read(path);
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
