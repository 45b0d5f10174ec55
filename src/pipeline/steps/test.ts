/**
 * test: each affected package's suite, its JUnit file read into one record per test case. A suite
 * whose key already passed is not run again; its earlier results are shown as cached.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { parseDuration } from '../../config/units.js';
import { toArgv } from '../../exec/argv.js';
import type { Redactor } from '../../exec/redact.js';
import { parseJUnit, type TestCase } from '../../reports/junit.js';
import { resolveInside } from '../../workspace/inside.js';
import type { CiPlanInput } from '../ci-steps.js';
import type { Step, StepOutcome } from '../step.js';
import { describeExit, type RunCommand } from './run-command.js';

export function testSteps(input: CiPlanInput, root: string, run: RunCommand): Step[] {
  return Object.entries(input.packages).map(([name, pkg]) => {
    const key = input.keys.get(name) as string;
    return {
      key: `test:${name}`,
      stage: 'test',
      name: `test ${name}`,
      package: name,
      cacheKey: key,
      needs: [`build:${name}`],
      async run(context): Promise<StepOutcome> {
        if (!input.affected.has(name)) return { status: 'skipped', detail: 'not affected' };
        if (pkg.test === false) return { status: 'skipped', detail: 'no tests' };
        const fromRun = await input.sink.recall(key, 'test');
        if (fromRun !== undefined) {
          await input.sink.reuseTestCases(this, name, fromRun);
          context.log(`passed before with the same inputs in run ${fromRun}`);
          return { status: 'cached', detail: `from run ${fromRun}` };
        }
        const dir = resolveInside(root, pkg.path);
        const junit = resolveInside(dir, pkg.test.junit);
        rmSync(junit, { force: true });
        const result = await run(context, toArgv(pkg.test.run), dir, {
          timeoutMs: parseDuration(pkg.test.timeout),
          pkg: name,
        });
        const cases = (
          existsSync(junit) && statSync(junit).isFile() ? parseJUnit(readFileSync(junit, 'utf8')) : []
        ).map((c) => redactCase(c, input.redactor));
        await input.sink.testCases(this, name, cases);
        const failed = cases.filter((c) => c.status === 'failed').length;
        if (result.exitCode !== 0 || failed > 0) {
          const detail =
            failed > 0 ? `${failed} test${failed === 1 ? '' : 's'} failed` : describeExit(result);
          return { status: 'failed', exitCode: result.exitCode, detail };
        }
        await input.sink.remember(key, 'test', name);
        return { status: 'passed', exitCode: 0, detail: `${cases.length} tests` };
      },
    };
  });
}

/** Names come from the pushed code as much as messages do: a test may be named after a secret. */
function redactCase(c: TestCase, redactor: Redactor): TestCase {
  const redact = (text: string) => redactor.redact(text);
  return {
    ...c,
    suite: redact(c.suite),
    name: redact(c.name),
    file: c.file === null ? null : redact(c.file),
    message: c.message === null ? null : redact(c.message),
  };
}
