/** package: one artifact per service or site; the same key reuses the tarball already made. */
import { join } from 'node:path';
import { suiteStepKey, suitesOf } from '../../config/suites.js';
import { buildArtifact, findArtifact } from '../../workspace/artifact.js';
import type { CiPlanInput } from '../ci-plan-input.js';
import type { Step, StepOutcome } from '../step.js';
import { NOT_AFFECTED, packageStep } from './package-step.js';

export function packageSteps(input: CiPlanInput, root: string): Step[] {
  const outDir = join(input.home, 'artifacts');
  return Object.entries(input.packages)
    .filter(([, pkg]) => pkg.service || pkg.site)
    .map(([name, pkg]) => {
      const key = input.keys.get(name);
      const step: Step = packageStep('package', name, {
        cacheKey: key,
        needs: [`build:${name}`, ...suitesOf(pkg).map((suite) => suiteStepKey(name, suite))],
        async run(context): Promise<StepOutcome> {
          const existing = key === undefined || input.fresh ? undefined : findArtifact(outDir, name, key);
          if (existing) {
            await input.sink.artifact(step, existing);
            context.log(`same inputs as ${existing.file}: reused`);
            return { status: 'cached', detail: existing.sha256.slice(0, 12) };
          }
          if (!input.needed.has(name)) return NOT_AFFECTED;
          const artifact = await buildArtifact({
            name,
            pkg,
            workspace: root,
            commit: input.sha,
            // Not cacheable: named after the commit, so no later run can take it for its own.
            cacheKey: key ?? `uncached-${input.sha}`,
            outDir,
          });
          context.log(
            `${artifact.file} sha256 ${artifact.sha256} (${artifact.manifest.files.length} files, ${artifact.size} bytes)`,
          );
          await input.sink.artifact(step, artifact);
          return { status: 'passed', detail: artifact.sha256.slice(0, 12) };
        },
      });
      return step;
    });
}
