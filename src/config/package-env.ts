/**
 * A package's `env` from waggle.yml, made real for its build and test steps: the only variables
 * of the server's environment those steps ever see.
 */
import type { PackageConfig } from './schema.js';
import { interpolate, secretValues } from './secrets.js';

/** The package's variables with `${{ secrets.X }}`/`${{ vars.X }}` read from `env`; throws MissingVariableError. */
export function packageEnv(pkg: Pick<PackageConfig, 'env'>, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(pkg.env).map(([name, value]) => [name, interpolate(value, env)]));
}

/** Values of the secrets the package's env references, for the redactor. */
export function packageSecretValues(pkg: Pick<PackageConfig, 'env'>, env: NodeJS.ProcessEnv): string[] {
  return secretValues(pkg.env, env);
}
