/** What the CI steps are given to plan and run with, and what they report back through. */
import type { PackageConfig } from '../config/schema.js';
import type { Redactor } from '../exec/redact.js';
import type { StepUser } from '../exec/step-user.js';
import type { TestCase } from '../reports/junit.js';
import type { Artifact } from '../workspace/artifact.js';
import type { PackageGraph } from '../workspace/graph.js';
import type { StageName, Step } from './step.js';

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
  /** False when every step can reuse an earlier run's work: no checkout, no install (workspace-need.ts). */
  workspaceNeeded: boolean;
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
  /** Who runs the commands of the commit (exec/step-user.ts); none: waggle's own user. */
  user?: StepUser;
  /** The environment of a step's commands: for one package, or for the run as a whole. */
  envFor(pkg?: string): NodeJS.ProcessEnv;
  redactor: Redactor;
  sink: StepSink;
}
