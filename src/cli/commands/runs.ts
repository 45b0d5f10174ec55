import type { Command } from 'commander';
import type { RunSummary } from '../../pipeline/summary.js';
import { type Run, Store } from '../../store/store.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { waggleHome } from '../home.js';
import { summaryText } from '../summary-text.js';
import { UsageError } from '../usage-error.js';
import { runFromCheckout } from './run.js';

const FOLLOW_POLL_MS = 300;

export function registerRuns(program: Command, setExit: (code: number) => void): void {
  const runs = program
    .command('runs')
    .description('runs recorded in the local store: list, show, logs, rerun');
  const openStore = () => Store.open(waggleHome(process.cwd()));

  runs
    .command('list', { isDefault: true })
    .description('recent runs, newest first')
    .option('-n, --limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action(async (options: { limit: string; json?: boolean }) => {
      const store = openStore();
      try {
        const rows = await store.recentRuns(Number(options.limit));
        if (options.json) console.log(JSON.stringify(rows.map(publicRun), null, 2));
        else if (rows.length === 0) console.log('no runs yet (start one with "waggle run")');
        else for (const run of rows) console.log(runLine(run));
      } finally {
        await store.close();
      }
    });

  runs
    .command('show <id>')
    .description("a run's summary and steps")
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const store = openStore();
      try {
        const run = await findRun(store, id);
        const steps = await store.steps(run.id);
        const summary = run.summary ? (JSON.parse(run.summary) as RunSummary) : undefined;
        if (options.json) {
          console.log(JSON.stringify({ ...publicRun(run), summary, steps }, null, 2));
        } else {
          console.log(runLine(run));
          for (const step of steps) {
            const seconds = step.duration_ms === null ? '' : ` ${(step.duration_ms / 1000).toFixed(1)}s`;
            console.log(
              `  ${step.status.padEnd(9)} ${step.name}${seconds}${step.detail ? ` (${step.detail})` : ''}`,
            );
          }
          if (summary) console.log(`\n${summaryText(summary)}`);
        }
      } finally {
        await store.close();
      }
    });

  runs
    .command('logs <id>')
    .description("a run's step logs, each line prefixed with its step")
    .option('--step <key>', 'only this step (e.g. test:billing)')
    .option('-f, --follow', 'keep printing until the run ends')
    .action(async (id: string, options: { step?: string; follow?: boolean }) => {
      const store = openStore();
      try {
        const run = await findRun(store, id);
        const printed = new Map<number, number>();
        for (;;) {
          const current = (await store.getRun(run.id)) as Run;
          for (const step of await store.steps(run.id)) {
            if (options.step && step.key !== options.step) continue;
            for (const line of await store.logs(step.id, printed.get(step.id) ?? 0)) {
              console.log(`[${step.key}] ${line.line}`);
              printed.set(step.id, line.seq);
            }
          }
          if (!options.follow || !['queued', 'running'].includes(current.status)) break;
          await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
        }
      } finally {
        await store.close();
      }
    });

  runs
    .command('rerun <id>')
    .description("run a recorded run's commit again, from this checkout")
    .option('--json', 'print a JSON summary')
    .action(async (id: string, options: { json?: boolean }) => {
      const store = openStore();
      const run = await findRun(store, id).finally(() => store.close());
      const summary = await runFromCheckout({ sha: run.sha, json: options.json }, 'rerun');
      setExit(summary.status === 'passed' ? EXIT_OK : EXIT_FAILED);
    });
}

async function findRun(store: Store, id: string): Promise<Run> {
  const run = /^\d+$/.test(id) ? await store.getRun(Number(id)) : undefined;
  if (!run) throw new UsageError(`no run ${id} (see "waggle runs list")`);
  return run;
}

function publicRun(run: Run) {
  const { summary: _summary, ...rest } = run;
  return rest;
}

function runLine(run: Run): string {
  const seconds =
    run.finished_at && run.started_at ? `${((run.finished_at - run.started_at) / 1000).toFixed(1)}s` : '';
  const when = new Date(run.created_at).toISOString().replace('T', ' ').slice(0, 19);
  return `#${run.id}  ${run.status.padEnd(11)} ${run.branch} @ ${run.sha.slice(0, 12)}  ${when}  ${seconds}  ${run.message.split('\n')[0]}`;
}
