/** Test cases as the suites' JUnit reports gave them, each with the run and step that ran it. */
import type { Insertable, Selectable } from 'kysely';
import type { Connection } from './database.js';
import type { TestCaseTable } from './schema.js';

export type TestCaseRow = Selectable<TestCaseTable>;

/** SQLite caps the variables bound in one statement: rows go in slices of this many. */
const SLICE = 200;

export class TestCases {
  constructor(private readonly connection: Connection) {}

  async add(cases: readonly Insertable<TestCaseTable>[]): Promise<void> {
    for (let i = 0; i < cases.length; i += SLICE) {
      await this.connection.db
        .insertInto('test_cases')
        .values(cases.slice(i, i + SLICE))
        .execute();
    }
  }

  /** A run's test cases in the order they were recorded, of one package when named. */
  ofRun(runId: number, pkg?: string): Promise<TestCaseRow[]> {
    let query = this.connection.db.selectFrom('test_cases').selectAll().where('run_id', '=', runId);
    if (pkg) query = query.where('package', '=', pkg);
    return query.orderBy('id').execute();
  }

  /** The test cases a run's step of this key recorded (one suite's results). */
  ofStep(runId: number, stepKey: string): Promise<TestCaseRow[]> {
    return this.connection.db
      .selectFrom('test_cases')
      .innerJoin('steps', 'steps.id', 'test_cases.step_id')
      .selectAll('test_cases')
      .where('test_cases.run_id', '=', runId)
      .where('steps.key', '=', stepKey)
      .orderBy('test_cases.id')
      .execute();
  }
}
