/** JUnit XML (jest-junit, karma-junit-reporter, Playwright) -> one record per test case. */
import { XMLParser } from 'fast-xml-parser';
import type { TestStatus } from '../store/schema.js';

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
    suite: String(testcase.classname ?? suite.name ?? ''),
    name: String(testcase.name ?? ''),
    file: (testcase.file as string | undefined) ?? suiteFile,
    status,
    durationMs: Math.round(Number(testcase.time ?? 0) * 1000),
    message: problems.length > 0 ? problemMessage(problems[0]) : null,
  };
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

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
