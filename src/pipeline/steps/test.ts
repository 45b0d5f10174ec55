/**
 * test: each suite of each affected package, its JUnit file read into one record per test case.
 * A suite whose key already passed is not run again; its earlier results are shown as cached. A
 * suite that counted no tests did not pass: it says how to make its runner write JUnit.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { SuiteConfig } from '../../config/schema.js';
import { NO_JUNIT, suiteStepKey, suitesOf } from '../../config/suites.js';
import { parseDuration } from '../../config/units.js';
import { toArgv } from '../../exec/argv.js';
import type { Redactor } from '../../exec/redact.js';
import { parseJUnit, type TestCase } from '../../reports/junit.js';
import { JUNIT_HELP } from '../../reports/junit-help.js';
import { resolveInside } from '../../workspace/inside.js';
import type { CiPlanInput } from '../ci-plan-input.js';
import type { Step, StepOutcome } from '../step.js';
import { NOT_AFFECTED, packageStep, reusedFromEarlierRun } from './package-step.js';
import { describeExit, type RunCommand } from './run-command.js';

export function testSteps(input: CiPlanInput, root: string, run: RunCommand): Step[] {
  return Object.entries(input.packages).flatMap(([name, pkg]) =>
    suitesOf(pkg).map((suite): Step => {
      const key = input.suiteKeys.get(suiteStepKey(name, suite));
      const step: Step = packageStep('test', name, {
        suite: suite.name,
        cacheKey: key,
        needs: [`build:${name}`],
        async run(context): Promise<StepOutcome> {
          if (!input.affected.has(name)) return NOT_AFFECTED;
          const reused = await reusedFromEarlierRun(input.sink, 'test', key, context, async (fromRun) => {
            await input.sink.reuseTestCases(step, name, fromRun);
            return `passed before with the same inputs in run ${fromRun}`;
          });
          if (reused) return reused;
          const dir = resolveInside(root, pkg.path);
          const junit = suite.junit === NO_JUNIT ? undefined : resolveInside(dir, suite.junit);
          if (junit) rmSync(junit, { force: true });
          const extraEnv = await input.services.acquire(suite.services, (line, stream) =>
            context.log(line, stream),
          );
          const result = await run(context, toArgv(suite.run), dir, {
            timeoutMs: parseDuration(suite.timeout),
            pkg: name,
            extraEnv,
          });
          const cases = (junit ? readCases(junit) : []).map((c) => redactCase(c, input.redactor, suite));
          await input.sink.testCases(step, name, cases);
          const outcome = judge(suite, result.exitCode === 0, cases);
          if (outcome.status === 'failed') {
            const detail = outcome.detail ?? describeExit(result);
            if (outcome.help) context.log(outcome.help, 'stderr');
            return { status: 'failed', exitCode: result.exitCode, detail };
          }
          if (key !== undefined) await input.sink.remember(key, 'test', name);
          return { status: 'passed', exitCode: 0, detail: outcome.detail };
        },
      });
      return step;
    }),
  );
}

/** Passed only on evidence: a zero exit and, unless the suite writes no JUnit, tests that ran. */
export function judge(
  suite: Pick<SuiteConfig, 'junit'>,
  exitedZero: boolean,
  cases: readonly TestCase[],
): { status: 'passed' | 'failed'; detail?: string; help?: string } {
  const failed = cases.filter((c) => c.status === 'failed').length;
  if (failed > 0) return { status: 'failed', detail: `${failed} test${failed === 1 ? '' : 's'} failed` };
  if (!exitedZero) return { status: 'failed' };
  if (suite.junit === NO_JUNIT) return { status: 'passed', detail: 'exit code 0 (no JUnit by config)' };
  const ran = cases.filter((c) => c.status === 'passed').length;
  if (ran === 0)
    return {
      status: 'failed',
      detail:
        cases.length === 0
          ? `no tests counted: nothing written to ${suite.junit}`
          : 'no tests counted: every test was skipped',
      help: JUNIT_HELP(suite.junit),
    };
  return { status: 'passed', detail: `${cases.length} tests` };
}

export function readCases(junit: string): TestCase[] {
  return existsSync(junit) && statSync(junit).isFile() ? parseJUnit(readFileSync(junit, 'utf8')) : [];
}

/** Names come from the pushed code as much as messages do: a test may be named after a secret. */
export function redactCase(c: TestCase, redactor: Redactor, suite: Pick<SuiteConfig, 'name'>): TestCase {
  const redact = (text: string) => redactor.redact(text);
  return {
    ...c,
    suite: redact(suite.name && !c.suite ? suite.name : c.suite),
    name: redact(c.name),
    file: c.file === null ? null : redact(c.file),
    message: c.message === null ? null : redact(c.message),
  };
}
