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
    const passed = run.status === 'passed';
    const event = deployEnvironment(run)
      ? passed
        ? 'deploy.succeeded'
        : 'deploy.failed'
      : passed
        ? 'run.succeeded'
        : 'run.failed';
    await this.notify(run, event, summary ?? startedSummary(run));
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
