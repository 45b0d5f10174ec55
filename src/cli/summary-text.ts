/** The end-of-run summary for people: failures first, with their messages, then the rest. */
import { relative } from 'node:path';
import type { RunSummary } from '../pipeline/summary.js';

const MESSAGE_LINES = 6;

export function summaryText(summary: RunSummary, cwd = process.cwd()): string {
  const out: string[] = [];
  const verdict = summary.status === 'passed' ? 'passed' : summary.status.toUpperCase();
  out.push(
    `Run ${summary.run} ${verdict} in ${summary.seconds}s (${summary.branch} @ ${summary.sha.slice(0, 12)})`,
  );

  if (summary.failedTests.length > 0) {
    out.push('', `Failed tests (${summary.failedTests.length}):`);
    for (const test of summary.failedTests) {
      out.push(
        `  ✗ ${test.package} › ${test.suite ? `${test.suite} › ` : ''}${test.name}${test.file ? `  [${test.file}]` : ''}`,
      );
      for (const line of (test.message ?? '')
        .split('\n')
        .filter((l) => l.trim())
        .slice(0, MESSAGE_LINES))
        out.push(`      ${line}`);
    }
  }
  const otherFailures = summary.failedSteps.filter(
    (step) => !step.name.startsWith('test ') || summary.failedTests.length === 0,
  );
  if (otherFailures.length > 0) {
    out.push('', 'Failed steps:');
    for (const step of otherFailures) out.push(`  ✗ ${step.name}${step.detail ? `: ${step.detail}` : ''}`);
  }

  const rows = Object.entries(summary.packages).sort(([, a], [, b]) => rank(a.status) - rank(b.status));
  if (rows.length > 0) {
    out.push('', 'Packages:');
    const width = Math.max(...rows.map(([name]) => name.length));
    for (const [name, pkg] of rows) {
      const { passed, failed, skipped } = pkg.tests;
      const tests =
        passed + failed + skipped > 0 ? `${passed} passed, ${failed} failed, ${skipped} skipped` : '';
      const note = pkg.status === 'skipped' || pkg.status === 'cached' ? (pkg.detail ?? '') : '';
      out.push(
        `  ${name.padEnd(width)}  ${pkg.status.padEnd(9)} ${[tests, note].filter(Boolean).join('  ')}`.trimEnd(),
      );
    }
  }
  if (summary.artifacts.length > 0) {
    out.push('', 'Artifacts:');
    for (const artifact of summary.artifacts) {
      out.push(`  ${artifact.package}  ${relative(cwd, artifact.file)}  sha256:${artifact.sha256}`);
    }
  }
  return out.join('\n');
}

function rank(status: string): number {
  return ['failed', 'cancelled', 'passed', 'cached', 'skipped'].indexOf(status);
}
