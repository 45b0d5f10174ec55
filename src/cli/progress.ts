/**
 * Run progress for people: on a terminal a live tree of stages and steps with durations and the
 * latest output line; elsewhere (CI logs, pipes) one plain line per step start and end.
 */

import type { PlannedStep, RunEvent } from '../pipeline/run-recorder.js';
import { STAGES } from '../pipeline/step.js';
import { combine } from '../pipeline/summary.js';
import type { StepStatus } from '../store/schema.js';

type Status = StepStatus;
const ICON: Record<Status, string> = {
  pending: '·',
  running: '▸',
  passed: '✓',
  failed: '✗',
  cached: '↺',
  skipped: '○',
  cancelled: '■',
};
const TAIL_LINES = 15;

interface StepView extends PlannedStep {
  status: Status;
  detail?: string;
  startedAt?: number;
  durationMs?: number;
  tail: string[];
}

export class Progress {
  private steps: StepView[] = [];
  private timer: NodeJS.Timeout | undefined;
  private drawnLines = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly live = out.isTTY === true,
  ) {}

  readonly onEvent = (event: RunEvent): void => {
    if (event.type === 'run.started') {
      this.steps = event.steps.map((step) => ({ ...step, status: 'pending', tail: [] }));
      // A deploy works on environments, not packages: it names its stages instead.
      const scope = !event.steps.some((step) => step.package)
        ? [...new Set(event.steps.map((step) => step.stage))].join(', ')
        : event.everything
          ? `all packages (${event.everything})`
          : `affected: ${event.affected.join(', ') || 'none'}`;
      this.write(`run ${event.runId}: ${scope}`);
      if (this.live) this.timer = setInterval(() => this.draw(), 100);
      return;
    }
    if (event.type === 'run.finished' || event.type === 'run.ended') {
      this.stop();
      return;
    }
    const step = this.steps.find((s) => s.key === event.key);
    if (!step) return;
    if (event.type === 'step.log') {
      step.tail.push(event.line);
      if (step.tail.length > TAIL_LINES) step.tail.shift();
    } else if (event.type === 'step.started') {
      step.status = 'running';
      step.startedAt = Date.now();
      if (!this.live) this.write(`${ICON.running} ${step.name}`);
    } else {
      Object.assign(step, { status: event.status, detail: event.detail, durationMs: event.durationMs });
      if (!this.live) {
        this.write(`${ICON[event.status]} ${step.name}${describe(step)}`);
        if (event.status === 'failed') for (const line of step.tail) this.write(`    ${line}`);
      }
    }
  };

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live) this.draw();
  }

  private write(line: string): void {
    if (this.live) {
      this.clear();
      this.out.write(`${line}\n`);
    } else this.out.write(`${line}\n`);
  }

  private clear(): void {
    if (this.drawnLines > 0) this.out.write(`\u001b[${this.drawnLines}A\u001b[0J`);
    this.drawnLines = 0;
  }

  private draw(): void {
    const width = (this.out.columns ?? 100) - 1;
    const lines: string[] = [];
    for (const stage of STAGES) {
      const own = this.steps.filter((s) => s.stage === stage);
      if (own.length === 0) continue;
      lines.push(`${ICON[combine(own.map((s) => s.status))]} ${stage}`);
      for (const step of own) {
        lines.push(`  ${ICON[step.status]} ${step.name}${describe(step)}`);
        const last = step.tail.at(-1);
        if (step.status === 'running' && last) lines.push(`      ${last.trim()}`);
      }
    }
    this.clear();
    this.out.write(`${lines.map((line) => line.slice(0, width)).join('\n')}\n`);
    this.drawnLines = lines.length;
  }
}

function describe(step: StepView): string {
  const ms = step.durationMs ?? (step.startedAt ? Date.now() - step.startedAt : undefined);
  const time = ms !== undefined && step.status !== 'skipped' ? ` ${(ms / 1000).toFixed(1)}s` : '';
  return `${time}${step.detail ? ` (${step.detail})` : ''}`;
}
