/** Steps' output, line by line, each numbered within its step. */
import type { Selectable } from 'kysely';
import type { Connection } from './database.js';
import type { StepLogTable } from './schema.js';

export type StepLogLine = Selectable<StepLogTable>;

export class StepLogs {
  constructor(private readonly connection: Connection) {}

  /** Synchronous and batched: called from output handlers that must not fall behind. */
  append(lines: readonly StepLogTable[]): void {
    if (lines.length === 0) return;
    const { sqlite } = this.connection;
    const insert = sqlite.prepare(
      'INSERT INTO step_logs (step_id, seq, stream, line, at) VALUES (?, ?, ?, ?, ?)',
    );
    sqlite.transaction(() => {
      for (const l of lines) insert.run(l.step_id, l.seq, l.stream, l.line, l.at);
    })();
  }

  /** A step's log lines after sequence number `after`, in order. */
  ofStep(stepId: number, after = 0): Promise<StepLogLine[]> {
    return this.connection.db
      .selectFrom('step_logs')
      .selectAll()
      .where('step_id', '=', stepId)
      .where('seq', '>', after)
      .orderBy('seq')
      .execute();
  }
}
