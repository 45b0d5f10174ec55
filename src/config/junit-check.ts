/**
 * The check behind `waggle validate` (and the one `waggle init` runs on what it wrote): a warning
 * for each suite whose runner, by its own configuration, will not write the JUnit file the suite
 * names. How each runner is read lives in ./junit/; this module only compares.
 */
import { posix } from 'node:path';
import { toArgv } from '../exec/argv.js';
import type { ConfigIssue } from './errors.js';
import { commandInvocation } from './junit/invocations.js';
import { junitOutput } from './junit/junit-output.js';
import { declares, readJson, repoPath } from './junit/repo-files.js';
import type { Invocation, ReadFile } from './junit/types.js';
import type { Command, Config } from './schema.js';

export { fileReader } from './junit/file-reader.js';
export type { ReadFile } from './junit/types.js';

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
  const manifest = readJson(read, repoPath(suite.pkg, 'package.json'));
  const scripts = (manifest?.scripts ?? {}) as Record<string, string>;
  const invocations = commandInvocation(argv, scripts).filter(
    (invocation) => invocation.runner !== 'playwright' && invocation.runner !== 'cypress',
  );
  if (invocations.length !== 1) return [];
  const invocation = invocations[0] as Invocation;
  const output = junitOutput(invocation, suite.pkg, suite.env, read);
  const at = `${suite.at}.junit`;
  const expected = repoPath(suite.pkg, suite.junit);
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
      message: `${output.reporter} is not in the devDependencies of ${repoPath(suite.pkg, 'package.json')} or the root package.json: npm install --save-dev ${output.reporter}`,
    });
  return issues;
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
