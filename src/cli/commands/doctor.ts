import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../config/errors.js';
import { findConfigFile, loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { references } from '../../config/secrets.js';
import { describeStepIsolation } from '../../exec/step-user.js';
import { fileSize } from '../../format/size.js';
import { spaceUsed } from '../../workspace/retention.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { waggleHome } from '../home.js';

interface Check {
  name: string;
  ok: boolean;
  /** A failed required check fails the doctor; others only warn. */
  required: boolean;
  detail: string;
  fix?: string;
  /** More lines under the check, shown whether it passed or not. */
  notes?: string[];
  /** The state folder's space, in bytes, for scripts. */
  space?: { total: number; byFolder: Record<string, number> };
}

/** The folders of the home, in the order shown; the rest (the store, mirrors) is "other". */
const SPACE_FOLDERS = ['workspaces', 'artifacts', 'cache'];

export function registerDoctor(program: Command, setExit: (code: number) => void): void {
  program
    .command('doctor')
    .description('check prerequisites and credentials, and say how to fix each')
    .option('-c, --config <file>', 'config file (default: waggle.yml here or at the git root)')
    .option('--json', 'print the checks as JSON')
    .action((options: { config?: string; json?: boolean }) => {
      const checks = runChecks(options.config, process.env);
      if (options.json) console.log(JSON.stringify(checks, null, 2));
      else {
        for (const check of checks) {
          const mark = check.ok ? '✓' : check.required ? '✗' : '!';
          console.log(
            `${mark} ${check.name}: ${check.detail}${!check.ok && check.fix ? `\n    fix: ${check.fix}` : ''}`,
          );
          for (const note of check.notes ?? []) console.log(`    ${note}`);
        }
      }
      setExit(checks.some((check) => check.required && !check.ok) ? EXIT_FAILED : EXIT_OK);
    });
}

function runChecks(configOption: string | undefined, env: NodeJS.ProcessEnv): Check[] {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const checks: Check[] = [
    {
      name: 'node',
      ok: major > 20 || (major === 20 && minor >= 11),
      required: true,
      detail: process.version,
      fix: 'install Node.js 20.11 or newer',
    },
    tool('git', ['--version'], true, 'apt-get install git'),
    tool('npm', ['--version'], true, 'install npm with Node.js'),
    tool(
      'chromium',
      ['--version'],
      false,
      'apt-get install chromium (Karma and Playwright suites run in it)',
    ),
    tool('nginx', ['-v'], false, 'apt-get install nginx (the router of deploys and rollouts)'),
  ];
  let config: Config | undefined;
  let configFile: string | undefined;
  try {
    configFile = findConfigFile(configOption);
    config = loadConfig(configFile).config;
    checks.push({ name: 'waggle.yml', ok: true, required: true, detail: `${configFile} is valid` });
  } catch (error) {
    const detail =
      error instanceof ConfigError
        ? error.issues.map((i) => `${i.path}: ${i.message}`).join('; ')
        : String(error);
    checks.push({
      name: 'waggle.yml',
      ok: false,
      required: true,
      detail,
      fix: 'run "waggle init", or "waggle validate" to see each problem',
    });
  }
  const home = waggleHome(configFile ? dirname(configFile) : process.cwd(), env);
  const state = writable(home);
  checks.push(
    {
      ...state,
      detail: `${state.detail} (${env.WAGGLE_HOME ? 'from WAGGLE_HOME' : 'set WAGGLE_HOME to move it'})`,
    },
    space(home, config),
  );
  if (config) {
    const names = [...new Set(references(config).map((reference) => reference.name))].sort();
    const missing = names.filter((name) => !env[name]);
    checks.push({
      name: 'secrets and vars',
      ok: missing.length === 0,
      required: false,
      detail:
        missing.length === 0
          ? 'every ${{ secrets.* }} and ${{ vars.* }} is set'
          : `not set: ${missing.join(', ')}`,
      fix: 'export each variable (names only are shown here, never values)',
    });
  }
  checks.push({ name: 'step user', required: false, ...describeStepIsolation(env) });
  checks.push({
    name: 'WAGGLE_WEBHOOK_SECRET',
    ok: !!env.WAGGLE_WEBHOOK_SECRET,
    required: false,
    detail: env.WAGGLE_WEBHOOK_SECRET ? 'set' : 'not set (needed by "waggle serve")',
    fix: 'export WAGGLE_WEBHOOK_SECRET to the secret of the GitHub webhook',
  });
  return checks;
}

function tool(command: string, args: string[], required: boolean, fix: string): Check {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return { name: command, ok: false, required, detail: 'not found', fix };
  // Some tools (nginx -v) answer on stderr.
  const said = (result.stdout.trim() || result.stderr.trim()).split('\n')[0] ?? '';
  return result.status === 0
    ? { name: command, ok: true, required, detail: said }
    : { name: command, ok: false, required, detail: said || 'does not run', fix };
}

/** How much the state takes, by folder, and what bounds it. */
function space(home: string, config: Config | undefined): Check {
  const used = spaceUsed(home);
  const other = Object.entries(used.byFolder)
    .filter(([name]) => !SPACE_FOLDERS.includes(name))
    .reduce((sum, [, bytes]) => sum + bytes, 0);
  const parts = [
    ...SPACE_FOLDERS.map((name) => `${name} ${fileSize(used.byFolder[name] ?? 0)}`),
    `other (store, mirrors) ${fileSize(other)}`,
  ];
  const kept = config?.retention;
  const bound = kept
    ? `bounded by retention in waggle.yml: after each run, the newest ${kept.workspaces} run workspaces, the artifacts of the newest ${kept.artifacts} runs, ${kept.installs} node_modules installs and ${kept.builds} builds per package stay; the rest is removed`
    : 'bounded by retention in waggle.yml (workspaces, artifacts, installs, builds)';
  return {
    name: 'space used',
    ok: true,
    required: false,
    detail: fileSize(used.total),
    notes: [parts.join(', '), bound],
    space: used,
  };
}

function writable(home: string): Check {
  try {
    mkdirSync(home, { recursive: true });
    accessSync(home, constants.W_OK);
    return { name: 'state folder', ok: existsSync(home), required: true, detail: `${home} is writable` };
  } catch {
    return {
      name: 'state folder',
      ok: false,
      required: true,
      detail: `${home} is not writable`,
      fix: 'set WAGGLE_HOME to a writable folder',
    };
  }
}
