import { describe, expect, it } from 'vitest';
import type { ContactConfig, EventName } from '../config/schema.js';
import { wants } from './wants.js';

describe('wants', () => {
  const table: [ContactConfig['on'], EventName, boolean][] = [
    [['all'], 'run.failed', true],
    [['all'], 'rollout.step', true],
    [['run.failed'], 'run.failed', true],
    [['run.failed'], 'run.succeeded', false],
    [['run.*'], 'run.started', true],
    [['run.*'], 'deploy.started', false],
    [['deploy.*'], 'deploy.failed', true],
    [['deploy.*', 'approval.requested'], 'approval.requested', true],
    [['deploy.*', 'approval.requested'], 'approval.granted', false],
    [['rollout.aborted'], 'rollout.promoted', false],
    [['e2e.*'], 'e2e.failed', true],
  ];
  it.each(table)('on %j, %s: %s', (on, event, expected) => {
    expect(wants({ on }, event)).toBe(expected);
  });
});
