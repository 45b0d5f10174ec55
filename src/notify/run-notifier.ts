/**
 * Tells the contacts about a CI run when it starts and when it ends, and records every delivery
 * attempt with the run. Nothing here can fail a run: dispatch never throws.
 */
import type { Config, EventName } from '../config/schema.js';
import { secretValues } from '../config/secrets.js';
import { Redactor } from '../exec/redact.js';
import type { RunSummary } from '../pipeline/summary.js';
import type { Run, Store } from '../store/store.js';
import { type DispatchOptions, dispatch } from './dispatch.js';
import { deployEnvironment, runNotification } from './notification.js';

export interface RunNotifierOptions {
  store: Store;
  config: Config;
  env: NodeJS.ProcessEnv;
  /** How people know the repository: owner/name on GitHub, else the clone URL or path. */
  repository: string;
  retry?: DispatchOptions['retry'];
}

export class RunNotifier {
  constructor(private readonly options: RunNotifierOptions) {}

  started(run: Run): Promise<void> {
    return this.notify(run, deployEnvironment(run) ? 'deploy.started' : 'run.started', startedSummary(run));
  }

  async finished(run: Run, summary: RunSummary | undefined): Promise<void> {
    // Cancelled and superseded runs judged nothing: nobody needs to hear about them.
    if (run.status !== 'passed' && run.status !== 'failed') return;
    const told = summary ?? startedSummary(run);
    for (const event of finishedEvents(run, told)) await this.notify(run, event, told);
  }

  private async notify(run: Run, event: EventName, summary: RunSummary): Promise<void> {
    const { store, config, env } = this.options;
    const facts = { ...run, repo: this.options.repository };
    await dispatch(runNotification(summary, facts, config.name, event, config.server.publicUrl), {
      contacts: config.contacts,
      config,
      env,
      redactor: new Redactor().add(...secretValues(config, env)),
      retry: this.options.retry,
      recorder: {
        attempt: async (attempt) => {
          await store.notifications.record(run.id, {
            contact: attempt.contactName,
            channel: attempt.channel,
            event: attempt.event,
            attempt: attempt.attempt,
            ok: attempt.ok,
            status: attempt.status ?? null,
            error: attempt.error ?? null,
            at: attempt.at,
          });
        },
      },
    });
  }
}

/**
 * A CI run passed or failed. A deploy succeeded or failed; when it succeeded and its end-to-end
 * tests ran, they passed or failed too (a deploy whose suite failed still moved the release).
 */
function finishedEvents(run: Run, summary: RunSummary): EventName[] {
  const passed = run.status === 'passed';
  if (!deployEnvironment(run)) return [passed ? 'run.succeeded' : 'run.failed'];
  const stageOf = (name: string) => summary.stages.find((stage) => stage.name === name)?.status;
  const moved = summary.stages.some(
    (stage) => (stage.name === 'staging' || stage.name === 'production') && stage.status === 'passed',
  );
  if (!moved) return ['deploy.failed'];
  const e2e = stageOf('e2e');
  if (e2e === 'passed') return ['deploy.succeeded', 'e2e.passed'];
  if (e2e === 'failed') return ['deploy.succeeded', 'e2e.failed'];
  return [passed ? 'deploy.succeeded' : 'deploy.failed'];
}

/** What is known of a run before it has results. */
function startedSummary(run: Run): RunSummary {
  return {
    run: run.id,
    status: run.status,
    branch: run.branch,
    sha: run.sha,
    base: run.base_sha,
    seconds: 0,
    stages: [],
    packages: {},
    failedTests: [],
    failedSteps: run.error ? [{ name: 'run', detail: run.error }] : [],
    artifacts: [],
  };
}
