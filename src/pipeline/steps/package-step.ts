/**
 * What the build, test and package steps of a package share: a name and key made of stage,
 * package and suite; the outcome of a package the change does not reach; and reuse of what an
 * earlier run made from the same inputs.
 */
import type { StepSink } from '../ci-plan-input.js';
import type { StageName, Step, StepContext, StepOutcome } from '../step.js';

/** `build api` keyed `build:api`; a named suite: `test api client` keyed `test:api:client`. */
export function packageStep(
  stage: StageName,
  pkg: string,
  step: Pick<Step, 'cacheKey' | 'needs' | 'run'> & { suite?: string },
): Step {
  const parts = step.suite ? [stage, pkg, step.suite] : [stage, pkg];
  return {
    key: parts.join(':'),
    stage,
    name: parts.join(' '),
    package: pkg,
    cacheKey: step.cacheKey,
    needs: step.needs,
    run: step.run,
  };
}

export const NOT_AFFECTED: StepOutcome = { status: 'skipped', detail: 'not affected' };

/** The checkout and install of a run whose every step reuses an earlier run's work. */
export const NOTHING_TO_RUN: StepOutcome = {
  status: 'skipped',
  detail: 'nothing to run: every build and suite the change reaches passed before',
};

/**
 * The outcome of a step whose key an earlier run already passed, once `putBack` has restored
 * what that run made (false when it could not: the step then does the work); undefined when no
 * earlier run passed with this key.
 */
export async function reusedFromEarlierRun(
  sink: StepSink,
  kind: 'build' | 'test',
  key: string | undefined,
  context: StepContext,
  putBack: (fromRun: number) => Promise<string | false>,
): Promise<StepOutcome | undefined> {
  const fromRun = key === undefined ? undefined : await sink.recall(key, kind);
  if (fromRun === undefined) return undefined;
  const said = await putBack(fromRun);
  if (said === false) return undefined;
  context.log(said);
  return { status: 'cached', detail: `from run ${fromRun}` };
}
