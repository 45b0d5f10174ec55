/**
 * build: each package's build command, after its dependencies'. A package the change does not
 * reach is not built; one whose key already built has its outputs put back instead.
 */
import { join } from 'node:path';
import { toArgv } from '../../exec/argv.js';
import { resolveInside } from '../../workspace/inside.js';
import { TreeCache } from '../../workspace/tree-cache.js';
import type { CiPlanInput } from '../ci-plan-input.js';
import type { Step, StepOutcome } from '../step.js';
import { NOT_AFFECTED, packageStep, reusedFromEarlierRun } from './package-step.js';
import { describeExit, type RunCommand } from './run-command.js';

const BUILD_TIMEOUT_MS = 30 * 60_000;

export function buildSteps(input: CiPlanInput, root: string, run: RunCommand): Step[] {
  const builds = new TreeCache(join(input.home, 'cache', 'builds'), input.user);
  return Object.entries(input.packages).map(([name, pkg]) => {
    const key = input.keys.get(name);
    return packageStep('build', name, {
      cacheKey: key,
      needs: ['install', ...(input.graph.get(name) ?? []).map((dep) => `build:${dep}`)],
      async run(context): Promise<StepOutcome> {
        if (!input.needed.has(name)) return NOT_AFFECTED;
        if (pkg.build === false) return { status: 'skipped', detail: 'no build' };
        // Resolved only with a workspace: a run with nothing to run has none.
        const dir = () => resolveInside(root, pkg.path);
        const reused = await reusedFromEarlierRun(input.sink, 'build', key, context, async (fromRun) => {
          if (!input.workspaceNeeded)
            return `passed in run ${fromRun}; nothing in this run needs its outputs`;
          return key !== undefined && (await builds.restore(key, dir(), { link: false }))
            ? `outputs restored from run ${fromRun}`
            : false;
        });
        if (reused) return reused;
        const result = await run(context, toArgv(pkg.build), dir(), {
          timeoutMs: BUILD_TIMEOUT_MS,
          pkg: name,
        });
        if (result.exitCode !== 0)
          return { status: 'failed', exitCode: result.exitCode, detail: describeExit(result) };
        if (key !== undefined) {
          await builds.save(key, dir(), pkg.outputs, { link: false });
          await input.sink.remember(key, 'build', name);
        }
        return { status: 'passed', exitCode: 0 };
      },
    });
  });
}
