/** install: `npm ci` once per lockfile; later runs link the same node_modules back in. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../workspace/cache-key.js';
import { TreeCache } from '../../workspace/tree-cache.js';
import type { CiPlanInput } from '../ci-plan-input.js';
import type { Step } from '../step.js';
import { NOTHING_TO_RUN } from './package-step.js';
import { describeExit, type RunCommand } from './run-command.js';

const NPM_CI_TIMEOUT_MS = 20 * 60_000;

export function installStep(input: CiPlanInput, root: string, run: RunCommand): Step {
  return {
    key: 'install',
    stage: 'install',
    name: 'npm ci',
    needs: ['checkout'],
    async run(context) {
      if (!input.workspaceNeeded) return NOTHING_TO_RUN;
      const lockfile = join(root, 'package-lock.json');
      if (!existsSync(lockfile)) {
        context.log(
          'no package-lock.json: npm ci needs one (run "npm install" and commit the lockfile)',
          'stderr',
        );
        return { status: 'failed', detail: 'no package-lock.json' };
      }
      const key = installKey(lockfile);
      const modules = new TreeCache(join(input.home, 'cache', 'node_modules'), input.user);
      if (!input.fresh && (await modules.restore(key, root, { link: true }))) {
        context.log(`node_modules restored for lockfile ${key.slice(0, 12)}`);
        return { status: 'cached', detail: `lockfile ${key.slice(0, 12)}` };
      }
      const result = await run(context, ['npm', 'ci', '--no-audit', '--no-fund'], root, {
        timeoutMs: NPM_CI_TIMEOUT_MS,
      });
      if (result.exitCode !== 0)
        return { status: 'failed', exitCode: result.exitCode, detail: `npm ci: ${describeExit(result)}` };
      const folders = [
        'node_modules',
        ...Object.values(input.packages).map((pkg) => join(pkg.path, 'node_modules')),
      ];
      await modules.save(key, root, folders, { link: true });
      return { status: 'passed' };
    },
  };
}

/** The node_modules cache key: the lockfile, and the Node that installs from it. */
export function installKey(lockfile: string): string {
  return sha256(`${readFileSync(lockfile, 'utf8')}\n${process.version}\n${process.platform}-${process.arch}`);
}
