/**
 * End-to-end tests of an environment just deployed: the commit's suite (Playwright by default)
 * run from a fresh checkout against the environment's URL, in Debian's Chromium. Its JUnit cases
 * are kept like unit tests; a suite that counted none did not pass; the screenshots and traces of
 * failures are kept as an artifact of the deploy.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../config/schema.js';
import { parseDuration } from '../config/units.js';
import { toArgv } from '../exec/argv.js';
import type { Redactor } from '../exec/redact.js';
import { prepareRunHome, stepEnvironment } from '../exec/step-env.js';
import { handOver, stepUser } from '../exec/step-user.js';
import type { Step, StepOutcome } from '../pipeline/step.js';
import { installKey } from '../pipeline/steps/install.js';
import { commandRunner, describeExit } from '../pipeline/steps/run-command.js';
import { judge, readCases, redactCase } from '../pipeline/steps/test.js';
import type { TestCase } from '../reports/junit.js';
import type { Run } from '../store/store.js';
import type { Artifact } from '../workspace/artifact.js';
import { resolveInside } from '../workspace/inside.js';
import { openHomeToSteps } from '../workspace/step-access.js';
import { TreeCache } from '../workspace/tree-cache.js';
import { packEvidence } from './e2e-evidence.js';

export interface E2eInput {
  job: Run;
  home: string;
  e2e: NonNullable<EnvironmentConfig['e2e']>;
  /** Where waggle.yml sits in the repository ('' at its root): e2e.path starts there. */
  configDir: string;
  /** The URL the deploy step found; asked for when the suite starts. */
  url: () => string | undefined;
  serverEnv: NodeJS.ProcessEnv;
  redactor: Redactor;
  cases: (step: Step, cases: TestCase[]) => Promise<void>;
  evidence: (step: Step, artifact: Artifact) => Promise<void>;
  needs: string[];
}

const CHROMIUM = '/usr/bin/chromium';

export function e2eStep(input: E2eInput): Step {
  const { job, home, e2e } = input;
  const workspace = join(home, 'workspaces', String(job.id));
  const step: Step = {
    key: 'e2e',
    stage: 'e2e',
    name: 'e2e',
    needs: input.needs,
    async run(context): Promise<StepOutcome> {
      const url = input.url();
      if (!url) return { status: 'skipped', detail: 'nothing was deployed' };
      // The suite is the commit's code: it runs as the steps of CI do (exec/step-user.ts).
      const user = stepUser(input.serverEnv);
      if (user) await openHomeToSteps(home, user);
      const runHome = join(home, 'workspaces', `${job.id}.home`);
      prepareRunHome(runHome, input.serverEnv, user);
      const root = join(workspace, input.configDir);
      const env = (binPaths: string[]) => ({
        ...stepEnvironment({
          serverEnv: input.serverEnv,
          home: runHome,
          npmCache: join(home, 'cache', 'npm'),
          run: { runId: job.id, sha: job.sha, branch: job.branch },
          binPaths,
        }),
        BASE_URL: url,
        CHROMIUM_PATH: input.serverEnv.CHROMIUM_PATH ?? CHROMIUM,
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
      });
      const run = commandRunner(() => env([join(root, 'node_modules', '.bin')]), input.redactor, user);
      const checkout = commandRunner(() => env([]), input.redactor);

      rmSync(workspace, { recursive: true, force: true });
      const clone: [string[], string][] = [
        [['git', 'clone', '--quiet', '--no-checkout', '--no-hardlinks', '--', job.repo, workspace], home],
        [['git', 'checkout', '--quiet', '--detach', job.sha], workspace],
      ];
      for (const [argv, cwd] of clone) {
        const result = await checkout(context, argv, cwd);
        if (result.exitCode !== 0)
          return { status: 'failed', detail: `git ${argv[1]}: ${describeExit(result)}` };
      }
      const lockfile = join(root, 'package-lock.json');
      if (user) await handOver(workspace, user);
      const modules = new TreeCache(join(home, 'cache', 'node_modules'), user);
      if (existsSync(lockfile) && (await modules.restore(installKey(lockfile), root, { link: true }))) {
        context.log('node_modules restored from the run that was deployed');
      } else {
        const install = await run(context, ['npm', 'ci', '--no-audit', '--no-fund'], root, {
          timeoutMs: 20 * 60_000,
        });
        if (install.exitCode !== 0) return { status: 'failed', detail: `npm ci: ${describeExit(install)}` };
      }

      const suite = resolveInside(root, e2e.path);
      const junit = resolveInside(suite, e2e.junit);
      rmSync(junit, { force: true });
      context.log(`testing ${url}`);
      const result = await run(context, toArgv(e2e.run), suite, { timeoutMs: parseDuration(e2e.timeout) });
      const cases = readCases(junit).map((c) => redactCase(c, input.redactor, { name: 'e2e' }));
      await input.cases(step, cases);
      const evidence = await packEvidence({
        folder: resolveInside(suite, e2e.evidence),
        outDir: join(home, 'artifacts'),
        runId: job.id,
        commit: job.sha,
      });
      if (evidence) {
        await input.evidence(step, evidence);
        context.log(`screenshots and traces kept: ${evidence.file}`);
      }
      const outcome = judge({ junit: e2e.junit }, result.exitCode === 0, cases);
      if (outcome.status === 'failed') {
        if (outcome.help) context.log(outcome.help, 'stderr');
        return {
          status: 'failed',
          exitCode: result.exitCode,
          detail: outcome.detail ?? describeExit(result),
        };
      }
      return { status: 'passed', exitCode: 0, detail: outcome.detail };
    },
  };
  return step;
}
