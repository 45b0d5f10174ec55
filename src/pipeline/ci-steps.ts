/**
 * The CI part of a run as steps: checkout -> install -> build -> test -> package (one file a
 * stage, in steps/). Builds and suites are skipped when a change does not reach them and reused
 * when their key already passed.
 */
import { join } from 'node:path';
import type { CiPlanInput } from './ci-plan-input.js';
import { STAGES, type StageName, type Step } from './step.js';
import { buildSteps } from './steps/build.js';
import { checkoutStep } from './steps/checkout.js';
import { installStep } from './steps/install.js';
import { packageSteps } from './steps/package.js';
import { commandRunner } from './steps/run-command.js';
import { testSteps } from './steps/test.js';

export function planCiSteps(input: CiPlanInput): Step[] {
  const root = join(input.workspace, input.configDir);
  const run = commandRunner((pkg) => input.envFor(pkg), input.redactor, input.user);
  // The checkout is waggle's own work (it reads the repository); what it checks out is the commit's.
  const checkoutRun = commandRunner(() => input.envFor(), input.redactor);
  // The CI stages; the ones after package belong to deploys and rollouts, planned elsewhere.
  const byStage: Partial<Record<StageName, () => Step[]>> = {
    checkout: () => [checkoutStep(input, checkoutRun)],
    install: () => [installStep(input, root, run)],
    build: () => buildSteps(input, root, run),
    test: () => testSteps(input, root, run),
    package: () => packageSteps(input, root),
  };
  return STAGES.slice(0, STAGES.indexOf(input.until) + 1).flatMap((stage) => byStage[stage]?.() ?? []);
}
