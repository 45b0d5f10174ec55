/** What the engine runs: steps with dependencies, grouped in stages for people to read. */

/** The whole pipeline, in order; a stage a plan does not use is simply absent from its run. */
export const STAGES = [
  'checkout',
  'install',
  'build',
  'test',
  'package',
  'staging',
  'e2e',
  'approval',
  'production',
  'bake',
  'report',
] as const;
export type StageName = (typeof STAGES)[number];

export type FinalStatus = 'passed' | 'failed' | 'cached' | 'skipped' | 'cancelled';

export interface StepOutcome {
  status: Exclude<FinalStatus, 'cancelled'>;
  /** Why, for people: "not affected", "cached from run 12", "2 tests failed". */
  detail?: string;
  exitCode?: number | null;
}

export interface StepContext {
  signal: AbortSignal;
  log(line: string, stream?: 'stdout' | 'stderr'): void;
}

export interface Step {
  key: string;
  stage: StageName;
  name: string;
  package?: string;
  /** Keys of steps that must end (not fail) first. */
  needs: string[];
  cacheKey?: string;
  run(context: StepContext): Promise<StepOutcome>;
}

export interface StepResult {
  status: FinalStatus;
  detail?: string;
  exitCode?: number | null;
  durationMs: number;
  /** Did not run because a step it needs failed or did not run. */
  blocked?: boolean;
}

export type EngineEvent =
  | { type: 'step.started'; step: Step; at: number }
  | { type: 'step.log'; step: Step; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'step.finished'; step: Step; result: StepResult; at: number };
