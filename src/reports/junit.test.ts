import { describe, expect, it } from 'vitest';
import { parseJUnit } from './junit.js';

describe('parseJUnit', () => {
  it('reads jest-junit output: suites, files, failures, skips', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="1">
  <testsuite name="computeInvoiceTotals" tests="3" file="src/totals.test.ts">
    <testcase classname="computeInvoiceTotals adds tax" name="computeInvoiceTotals adds tax" time="0.004" file="src/totals.test.ts">
      <failure>Error: expect(received).toBe(expected)\n\nExpected: 1100\nReceived: 1000</failure>
    </testcase>
    <testcase classname="computeInvoiceTotals" name="sums lines" time="0.001"/>
    <testcase classname="computeInvoiceTotals" name="later" time="0"><skipped/></testcase>
  </testsuite>
</testsuites>`;
    const cases = parseJUnit(xml);
    expect(cases).toHaveLength(3);
    expect(cases[0]).toMatchObject({ status: 'failed', file: 'src/totals.test.ts', durationMs: 4 });
    expect(cases[0]?.message).toContain('Expected: 1100');
    expect(cases[1]).toMatchObject({ status: 'passed', name: 'sums lines', file: 'src/totals.test.ts' });
    expect(cases[2]?.status).toBe('skipped');
  });

  it('reads a bare testsuite root with message attributes and errors (karma, playwright)', () => {
    const xml = `<testsuite name="Chrome Headless"><testcase name="renders" classname="App"><error message="TypeError: x is undefined"/></testcase></testsuite>`;
    expect(parseJUnit(xml)).toEqual([
      {
        suite: 'App',
        name: 'renders',
        file: null,
        status: 'failed',
        durationMs: 0,
        message: 'TypeError: x is undefined',
      },
    ]);
  });

  it('strips terminal colours from messages', () => {
    const xml =
      '<testsuite><testcase name="a"><failure message="\u001b[31mred\u001b[39m"/></testcase></testsuite>';
    expect(parseJUnit(xml)[0]?.message).toBe('red');
  });

  it("reads jest-junit's default names as suite and title, not the title twice", () => {
    const xml =
      '<testsuites><testsuite name="Cat tests"><testcase classname="Cat tests should get all cats" name="Cat tests should get all cats" time="0.01"/></testsuite></testsuites>';
    expect(parseJUnit(xml)[0]).toMatchObject({ suite: 'Cat tests', name: 'should get all cats' });
  });
});
