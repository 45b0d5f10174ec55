import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepUser } from '../exec/step-user.js';
import { openHomeToSteps } from './step-access.js';

const mode = (path: string) => statSync(path).mode & 0o777;

// As root (as the tests run), steps have a user of their own to open the home to.
describe('a home opened to the step user', () => {
  const steps = stepUser() ?? expect.unreachable('the tests run as root: steps have a user of their own');

  it('lets steps pass to the workspaces and the npm cache, and closes the rest', async () => {
    const home = mkdtempSync(join(tmpdir(), 'waggle-access-'));
    writeFileSync(join(home, 'waggle.db'), 'store');
    for (const folder of ['artifacts', 'reports', 'repos', 'cache/node_modules', 'cache/builds'])
      mkdirSync(join(home, folder), { recursive: true, mode: 0o755 });
    await openHomeToSteps(home, steps);
    expect(mode(home)).toBe(0o711);
    expect(mode(join(home, 'workspaces'))).toBe(0o711);
    expect(mode(join(home, 'cache'))).toBe(0o711);
    expect(statSync(join(home, 'cache', 'npm')).uid).toBe(steps.uid);
    expect(mode(join(home, 'waggle.db'))).toBe(0o600);
    for (const folder of ['artifacts', 'reports', 'repos', 'cache/node_modules', 'cache/builds'])
      expect(mode(join(home, folder)), folder).toBe(0o700);
  });

  it('refuses a home the step user cannot reach, naming the closed folder', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'waggle-closed-'));
    await expect(openHomeToSteps(join(closed, 'home'), steps)).rejects.toThrow(
      `${closed} is closed to others (mode 700)`,
    );
  });
});
