/**
 * The CI part of a run as steps: checkout -> install -> build -> test -> package (one file a
 * stage, in steps/). Builds and suites are skipped when a change does not reach them and reused
 * when their key already passed.
 */
import { join } from 'node:path';
import type { PackageConfig } from '../config/schema.js';
import type { Redactor } from '../exec/redact.js';
import type { TestCase } from '../reports/junit.js';
import type { Artifact } from '../workspace/artifact.js';
import type { PackageGraph } from '../workspace/graph.js';
import { STAGES, type StageName, type Step } from './step.js';
import { buildSteps } from './steps/build.js';
import { checkoutStep } from './steps/checkout.js';
import { installStep } from './steps/install.js';
import { packageSteps } from './steps/package.js';
import { commandRunner } from './steps/run-command.js';
import { testSteps } from './steps/test.js';

/** What the steps report back beyond their outcome: test cases, artifacts, cache hits. */
export interface StepSink {
  testCases(step: Step, pkg: string, cases: TestCase[]): Promise<void>;
  /** Test cases of the same suite in an earlier run, shown again for a suite reused from the cache. */
  reuseTestCases(step: Step, pkg: string, fromRun: number): Promise<void>;
  artifact(step: Step, artifact: Artifact): Promise<void>;
  remember(key: string, kind: 'build' | 'test', pkg: string): Promise<void>;
  recall(key: string, kind: 'build' | 'test'): Promise<number | undefined>;
}

export interface ServiceStarter {
  /** Starts what is not yet running of `names`; the variables they hand to the suite. */
  acquire(
    names: readonly string[],
    log: (line: string, stream: 'stdout' | 'stderr') => void,
  ): Promise<Record<string, string>>;
}

export interface CiPlanInput {
  repo: string;
  sha: string;
  /** Folder of the fresh checkout. */
  workspace: string;
  /** Where waggle.yml sits inside the repository ('' at the root): package paths start there. */
  configDir: string;
  home: string;
  packages: Readonly<Record<string, PackageConfig>>;
  graph: PackageGraph;
  /** Each package's build key; absent when an input could not be found (then nothing is cached). */
  keys: ReadonlyMap<string, string | undefined>;
  /** Each suite's key, by its step key (`test:<package>[:<suite>]`); absent: not cacheable. */
  suiteKeys: ReadonlyMap<string, string | undefined>;
  /** Services suites need, started on first use and stopped when the run ends. */
  services: ServiceStarter;
  /** Reuse nothing from earlier runs (`--no-cache`). */
  fresh: boolean;
  /** Packages whose build and suite a change reaches. */
  affected: ReadonlySet<string>;
  /** Packages that must have build outputs: the affected ones and what they depend on. */
  needed: ReadonlySet<string>;
  until: StageName;
  /** The environment of a step's commands: for one package, or for the run as a whole. */
  envFor(pkg?: string): NodeJS.ProcessEnv;
  redactor: Redactor;
  sink: StepSink;
}

export function planCiSteps(input: CiPlanInput): Step[] {
  const root = join(input.workspace, input.configDir);
  const run = commandRunner((pkg) => input.envFor(pkg), input.redactor);
  // The CI stages; the ones after package belong to deploys and rollouts, planned elsewhere.
  const byStage: Partial<Record<StageName, () => Step[]>> = {
    checkout: () => [checkoutStep(input, run)],
    install: () => [installStep(input, root, run)],
    build: () => buildSteps(input, root, run),
    test: () => testSteps(input, root, run),
    package: () => packageSteps(input, root),
  };
  return STAGES.slice(0, STAGES.indexOf(input.until) + 1).flatMap((stage) => byStage[stage]?.() ?? []);
}
