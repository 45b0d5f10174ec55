/** A package's test suites in one shape, whichever way waggle.yml wrote them. */
import type { PackageConfig, SuiteConfig } from './schema.js';

/** `junit: none`: the suite writes no JUnit file and passes on its exit code alone. */
export const NO_JUNIT = 'none';

export function suitesOf(pkg: Pick<PackageConfig, 'test'>): SuiteConfig[] {
  if (pkg.test === false) return [];
  return Array.isArray(pkg.test) ? pkg.test : [pkg.test];
}

/** `test:<package>` for a package's one suite, `test:<package>:<suite>` for a named one. */
export function suiteStepKey(pkg: string, suite: Pick<SuiteConfig, 'name'>): string {
  return suite.name ? `test:${pkg}:${suite.name}` : `test:${pkg}`;
}
