/**
 * checkout: a fresh clone of the repository at exactly the commit being run, made by waggle and
 * then given to the user steps run as.
 */
import { rmSync } from 'node:fs';
import { handOver } from '../../exec/step-user.js';
import type { CiPlanInput } from '../ci-plan-input.js';
import type { Step } from '../step.js';
import { NOTHING_TO_RUN } from './package-step.js';
import type { RunCommand } from './run-command.js';

export function checkoutStep(input: CiPlanInput, run: RunCommand): Step {
  return {
    key: 'checkout',
    stage: 'checkout',
    name: 'checkout',
    needs: [],
    async run(context) {
      if (!input.workspaceNeeded) return NOTHING_TO_RUN;
      rmSync(input.workspace, { recursive: true, force: true });
      // A local clone hard-links git's objects: a fresh, isolated tree in well under a second.
      const clone = await run(
        context,
        [
          'git',
          'clone',
          '--quiet',
          '--no-checkout',
          // Objects hard-linked from the repository would be handed to the step user below.
          ...(input.user ? ['--no-hardlinks'] : []),
          '--',
          input.repo,
          input.workspace,
        ],
        input.home,
      );
      if (clone.exitCode !== 0)
        return { status: 'failed', exitCode: clone.exitCode, detail: 'git clone failed' };
      const checkout = await run(
        context,
        ['git', 'checkout', '--quiet', '--detach', input.sha],
        input.workspace,
      );
      if (checkout.exitCode !== 0)
        return { status: 'failed', exitCode: checkout.exitCode, detail: 'git checkout failed' };
      if (input.user) await handOver(input.workspace, input.user);
      context.log(`checked out ${input.sha}`);
      return { status: 'passed', detail: input.sha.slice(0, 12) };
    },
  };
}
