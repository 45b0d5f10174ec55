/**
 * Whether a run has any work for a workspace, decided before any step from the run's scope, the
 * store and the artifacts alone. When every build the change reaches and every suite it affects
 * passed before with the same key, and every deployable it reaches has its artifact, there is
 * nothing to run: no clone, no install, no outputs put back; the steps report what they reuse.
 * The answer is the one the steps would reach themselves, only earlier: the same keys, the same
 * records, so nothing is reused that a workspace run would not reuse.
 */
import type { PackageConfig } from '../config/schema.js';
import { suiteStepKey, suitesOf } from '../config/suites.js';
import { STAGES, type StageName } from './step.js';

export interface WorkspaceNeedInput {
  packages: Readonly<Record<string, PackageConfig>>;
  /** Packages whose build outputs the run needs: the affected ones and their dependencies. */
  needed: ReadonlySet<string>;
  affected: ReadonlySet<string>;
  keys: ReadonlyMap<string, string | undefined>;
  suiteKeys: ReadonlyMap<string, string | undefined>;
  until: StageName;
  /** `--no-cache`: everything runs. */
  fresh: boolean;
  recall(key: string, kind: 'build' | 'test'): Promise<number | undefined>;
  hasArtifact(pkg: string, key: string): boolean;
}

/** Why the run needs a workspace, or undefined when it needs none. */
export async function workspaceNeed(input: WorkspaceNeedInput): Promise<string | undefined> {
  const reaches = (stage: StageName) => STAGES.indexOf(input.until) >= STAGES.indexOf(stage);
  if (input.fresh) return '--no-cache';
  if (!reaches('build')) return `the run stops after ${input.until}`;
  const passed = async (key: string | undefined, kind: 'build' | 'test') =>
    key !== undefined && (await input.recall(key, kind)) !== undefined;
  for (const name of input.needed) {
    const pkg = input.packages[name] as PackageConfig;
    if (pkg.build !== false && !(await passed(input.keys.get(name), 'build'))) return `build ${name}`;
  }
  if (reaches('test'))
    for (const name of input.affected)
      for (const suite of suitesOf(input.packages[name] as PackageConfig))
        if (!(await passed(input.suiteKeys.get(suiteStepKey(name, suite)), 'test')))
          return `test ${name}${suite.name ? ` ${suite.name}` : ''}`;
  if (reaches('package'))
    for (const name of input.needed) {
      const pkg = input.packages[name] as PackageConfig;
      const key = input.keys.get(name);
      if ((pkg.service || pkg.site) && (key === undefined || !input.hasArtifact(name, key)))
        return `package ${name}`;
    }
  return undefined;
}
