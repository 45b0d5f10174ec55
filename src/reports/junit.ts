/** JUnit XML (jest-junit, karma-junit-reporter, Playwright) -> one record per test case. */

import { XMLParser } from 'fast-xml-parser';
import { stripAnsi } from '../exec/terminal-text.js';

/** How a test case ended, as JUnit tells it. */
export type TestStatus = 'passed' | 'failed' | 'skipped';

export interface TestCase {
  suite: string;
  name: string;
  file: string | null;
  status: TestStatus;
  durationMs: number;
  message: string | null;
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error'].includes(name),
});

const MAX_MESSAGE = 4_000;

export function parseJUnit(xml: string): TestCase[] {
  const document = parser.parse(xml) as XmlNode;
  const cases: TestCase[] = [];
  const visitSuite = (suite: XmlNode, parentFile: string | null) => {
    const file = (suite.file as string | undefined) ?? parentFile;
    for (const testcase of (suite.testcase as XmlNode[] | undefined) ?? [])
      cases.push(toCase(testcase, suite, file));
    for (const inner of (suite.testsuite as XmlNode[] | undefined) ?? []) visitSuite(inner, file);
  };
  const root = (document.testsuites as XmlNode | undefined) ?? document;
  for (const suite of (root.testsuite as XmlNode[] | undefined) ?? []) visitSuite(suite, null);
  return cases;
}

function toCase(testcase: XmlNode, suite: XmlNode, suiteFile: string | null): TestCase {
  const problems = [...((testcase.failure as unknown[]) ?? []), ...((testcase.error as unknown[]) ?? [])];
  const skipped = testcase.skipped !== undefined;
  const status: TestStatus = problems.length > 0 ? 'failed' : skipped ? 'skipped' : 'passed';
  return {
    ...suiteAndTitle(String(testcase.classname ?? suite.name ?? ''), String(testcase.name ?? ''), suite),
    file: (testcase.file as string | undefined) ?? suiteFile,
    status,
    durationMs: Math.round(Number(testcase.time ?? 0) * 1000),
    message: problems.length > 0 ? problemMessage(problems[0]) : null,
  };
}

/**
 * jest-junit by default writes "<describe> <title>" as both classname and name, so a plain
 * reading shows "Cat tests should get all cats › Cat tests should get all cats". When the two are
 * equal, the suite is the <testsuite>'s name and the title what follows it.
 */
function suiteAndTitle(classname: string, name: string, suite: XmlNode): { suite: string; name: string } {
  if (classname !== name) return { suite: classname, name };
  const suiteName = typeof suite.name === 'string' ? suite.name : '';
  if (suiteName && suiteName !== name && name.startsWith(`${suiteName} `))
    return { suite: suiteName, name: name.slice(suiteName.length + 1) };
  return { suite: suiteName, name };
}

function problemMessage(problem: unknown): string {
  const text =
    typeof problem === 'string'
      ? problem
      : [(problem as XmlNode).message, (problem as XmlNode)['#text']]
          .filter((part) => typeof part === 'string')
          .join('\n');
  return stripAnsi(text).trim().slice(0, MAX_MESSAGE);
}
