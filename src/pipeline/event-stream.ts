/**
 * One stream of what happens in a run (`run.*`, `step.*`; deploy, approval, rollout and report
 * events join it as those arrive), and whoever cares subscribes: the live views (terminal tree,
 * Server-Sent Events) and notifications, whether the run came from a push or the command line.
 */
import type { RunEvent } from './run-recorder.js';

export type PipelineEvent = RunEvent;
export type Subscriber = (event: PipelineEvent) => void;

export class EventStream {
  private readonly subscribers = new Set<Subscriber>();

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  /** Returns the unsubscribe function. */
  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** A subscriber that throws is reported and never stops the run or the other subscribers. */
  publish(event: PipelineEvent): void {
    for (const subscriber of this.subscribers) {
      try {
        subscriber(event);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
