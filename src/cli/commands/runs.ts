import type { Command } from 'commander';
import type { RunDetail } from '../../store/run-detail.js';
import { ENDED } from '../../store/schema.js';
import { Store } from '../../store/store.js';
import { ApiClient } from '../api-client.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { waggleHome } from '../home.js';
import { summaryText } from '../summary-text.js';
import { UsageError } from '../usage-error.js';
import { runFromCheckout } from './run.js';

const FOLLOW_POLL_MS = 300;

type RunRow = RunDetail['run'];
interface LogLine {
  step: string;
  line: string;
}

interface Common {
  server?: string;
  json?: boolean;
}

export function registerRuns(program: Command, setExit: (code: number) => void): void {
  const runs = program
    .command('runs')
    .description(
      'runs, from the local store or from a server (--server URL or WAGGLE_SERVER, token in WAGGLE_TOKEN)',
    );
  const withServer = (command: Command) =>
    command.option('--server <url>', 'ask this waggle server instead of the local store');

  withServer(runs.command('list', { isDefault: true }))
    .description('recent runs, newest first')
    .option('-n, --limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action(async (options: Common & { limit: string }) => {
      const client = ApiClient.from(options.server);
      const rows = client
        ? await client.get<RunRow[]>(`/api/runs?limit=${Number(options.limit)}`)
        : await withStore((store) => store.runs.recent(Number(options.limit))).then((list) =>
            list.map(withoutInternals),
          );
      if (options.json) console.log(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) console.log('no runs yet (start one with "waggle run")');
      else for (const run of rows) console.log(runLine(run));
    });

  withServer(runs.command('show <id>'))
    .description("a run's summary, steps, tests, artifacts and notifications")
    .option('--json', 'print JSON')
    .action(async (id: string, options: Common) => {
      const client = ApiClient.from(options.server);
      const detail = client
        ? await client.get<RunDetail>(`/api/runs/${runId(id)}`)
        : await withStore((store) => store.runDetail(runId(id)));
      if (!detail) throw new UsageError(`no run ${id} (see "waggle runs list")`);
      if (options.json) {
        console.log(JSON.stringify(detail, null, 2));
        return;
      }
      console.log(runLine(detail.run));
      if (detail.run.error) console.log(`  ${detail.run.error}`);
      for (const step of detail.steps) {
        const seconds = step.duration_ms === null ? '' : ` ${(step.duration_ms / 1000).toFixed(1)}s`;
        console.log(
          `  ${step.status.padEnd(9)} ${step.name}${seconds}${step.detail ? ` (${step.detail})` : ''}`,
        );
      }
      if (detail.summary) console.log(`\n${summaryText(detail.summary)}`);
      for (const n of detail.notifications) {
        console.log(
          `  notified ${n.contact} (${n.channel}) of ${n.event}: attempt ${n.attempt} ${n.ok ? 'ok' : `failed: ${n.error}`}`,
        );
      }
    });

  withServer(runs.command('logs <id>'))
    .description("a run's step logs, each line prefixed with its step")
    .option('--step <key>', 'only this step (e.g. test:billing)')
    .option('-f, --follow', 'keep printing until the run ends')
    .action(async (id: string, options: Common & { step?: string; follow?: boolean }) => {
      const print = (line: LogLine) => {
        if (!options.step || line.step === options.step) console.log(`[${line.step}] ${line.line}`);
      };
      const client = ApiClient.from(options.server);
      if (client && options.follow) {
        await client.stream(`/api/runs/${runId(id)}/events`, ({ event, data }) => {
          if (event === 'log') print(data as LogLine);
        });
      } else if (client) {
        for (const line of await client.get<LogLine[]>(`/api/runs/${runId(id)}/logs`)) print(line);
      } else {
        await withStore((store) => followLocal(store, runId(id), print, options.follow === true));
      }
    });

  withServer(runs.command('rerun <id>'))
    .description("run a run's commit again: queued on the server, or at once from this checkout")
    .option('--json', 'print JSON')
    .action(async (id: string, options: Common) => {
      const client = ApiClient.from(options.server);
      if (client) {
        const queued = await client.post<{ run: number }>(`/api/runs/${runId(id)}/rerun`);
        console.log(options.json ? JSON.stringify(queued) : `queued as run ${queued.run}`);
        return;
      }
      const run = await withStore((store) => store.runs.get(runId(id)));
      if (!run) throw new UsageError(`no run ${id} (see "waggle runs list")`);
      const summary = await runFromCheckout({ sha: run.sha, json: options.json }, 'rerun');
      setExit(summary.status === 'passed' ? EXIT_OK : EXIT_FAILED);
    });

  withServer(runs.command('cancel <id>'))
    .description('cancel a queued or running run on a server')
    .action(async (id: string, options: Common) => {
      const client = ApiClient.from(options.server);
      if (!client)
        throw new UsageError(
          'cancel needs a server (--server URL or WAGGLE_SERVER); stop a local run with Ctrl-C',
        );
      await client.post(`/api/runs/${runId(id)}/cancel`);
      console.log(`run ${id} cancelled`);
    });
}

async function followLocal(
  store: Store,
  id: number,
  print: (line: LogLine) => void,
  follow: boolean,
): Promise<void> {
  if (!(await store.runs.get(id))) throw new UsageError(`no run ${id} (see "waggle runs list")`);
  const printed = new Map<number, number>();
  for (;;) {
    const status = (await store.runs.get(id))?.status ?? 'failed';
    for (const step of await store.steps.ofRun(id)) {
      for (const line of await store.logs.ofStep(step.id, printed.get(step.id) ?? 0)) {
        print({ step: step.key, line: line.line });
        printed.set(step.id, line.seq);
      }
    }
    if (!follow || ENDED.includes(status)) return;
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
  }
}

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = Store.open(waggleHome(process.cwd()));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function runId(id: string): number {
  if (!/^\d+$/.test(id)) throw new UsageError(`a run id is a number, not "${id}"`);
  return Number(id);
}

function withoutInternals<T extends { summary: unknown; options: unknown }>({
  summary: _s,
  options: _o,
  ...run
}: T) {
  return run;
}

function runLine(run: RunRow): string {
  const seconds =
    run.finished_at && run.started_at ? `${((run.finished_at - run.started_at) / 1000).toFixed(1)}s` : '';
  const when = new Date(run.created_at).toISOString().replace('T', ' ').slice(0, 19);
  return `#${run.id}  ${run.status.padEnd(11)} ${run.branch} @ ${run.sha.slice(0, 12)}  ${when}  ${seconds}  ${run.message.split('\n')[0]}`;
}
