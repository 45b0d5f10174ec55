/**
 * The environment a step's processes get. Pushed code runs in them, so they see only what a
 * build needs (PATH, locale, certificates, proxies), a home folder of the run's own, facts about
 * the run, and the variables its package names in waggle.yml: never the server's own secrets.
 */
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { StepUser } from './step-user.js';

/** Server variables a build may need that carry no credentials of waggle's. */
const PASSED_THROUGH = [
  'PATH',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

/** npmrc settings that are credentials: never copied into a run's home. */
const NPMRC_CREDENTIAL =
  /(^|:)(_auth|_authToken|_password|username|password|email|certfile|keyfile|cert|key)\s*=/;

export interface RunFacts {
  runId: number;
  sha: string;
  branch: string;
}

export interface StepEnvInput {
  /** The environment waggle itself runs in: only the variables above are taken from it. */
  serverEnv: NodeJS.ProcessEnv;
  /** The run's own HOME (made if missing); npm's cache lives in waggle's home, shared by runs. */
  home: string;
  npmCache: string;
  run: RunFacts;
  /** Folders put first on PATH, as npm scripts do with node_modules/.bin. */
  binPaths?: readonly string[];
  /** What the package's `env` in waggle.yml names, already interpolated. */
  packageEnv?: Readonly<Record<string, string>>;
}

export function stepEnvironment(input: StepEnvInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_THROUGH) {
    const value = input.serverEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH = [...(input.binPaths ?? []), env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(delimiter);
  env.LANG ??= 'C.UTF-8';
  return {
    ...env,
    ...input.packageEnv,
    HOME: input.home,
    CI: 'true',
    FORCE_COLOR: '0',
    npm_config_cache: input.npmCache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    WAGGLE_RUN: String(input.run.runId),
    WAGGLE_COMMIT: input.run.sha,
    WAGGLE_BRANCH: input.run.branch,
  };
}

/**
 * Makes the run's home, with the server user's npm settings minus any credentials (a registry
 * mirror, nodedir), so `npm ci` behaves as it does for the user without handing over a token.
 */
export function prepareRunHome(home: string, serverEnv: NodeJS.ProcessEnv, user?: StepUser): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  if (user) chownSync(home, user.uid, user.gid);
  const userConfig =
    serverEnv.npm_config_userconfig ?? (serverEnv.HOME ? join(serverEnv.HOME, '.npmrc') : undefined);
  if (!userConfig || !existsSync(userConfig)) return;
  const settings = readFileSync(userConfig, 'utf8')
    .split('\n')
    .filter((line) => !NPMRC_CREDENTIAL.test(line.trim()));
  const npmrc = join(home, '.npmrc');
  writeFileSync(npmrc, `${settings.join('\n')}\n`, { mode: 0o600 });
  if (user) chownSync(npmrc, user.uid, user.gid);
}
