import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderUnit, unitName } from './systemd-unit.js';

const input = {
  name: 'hivenue-billing',
  description: 'hivenue billing (waggle)',
  releaseDir: '/srv/waggle/hivenue/billing/releases/20261130T090000Z-run7-abc',
  start: ['node', 'dist/index.js', '--port-from-env'],
  node: '/usr/bin/node',
  envFile: '/srv/waggle/hivenue/billing/shared/.env',
  writable: ['/srv/waggle/hivenue/billing/shared'],
  port: 4003,
  user: 'waggle',
};

describe('systemd units', () => {
  it('starts the service from its release with its env file, as an unprivileged user', () => {
    const unit = renderUnit(input);
    expect(unitName('hivenue-billing')).toBe('waggle-hivenue-billing.service');
    expect(unit).toContain(`WorkingDirectory=${input.releaseDir}\n`);
    expect(unit).toContain('ExecStart=/usr/bin/node "dist/index.js" "--port-from-env"\n');
    expect(unit).toContain('EnvironmentFile=/srv/waggle/hivenue/billing/shared/.env\n');
    expect(unit).toContain('User=waggle\n');
    expect(unit).toContain('Environment=PORT=4003\n');
    expect(unit).not.toContain('current');
  });

  it('passes systemd-analyze verify', () => {
    // verify checks that the binary and folders exist: give it a root where they do.
    const root = mkdtempSync(join(tmpdir(), 'waggle-unit-'));
    const release = join(root, 'release');
    mkdirSync(release);
    const unit = renderUnit({
      ...input,
      releaseDir: release,
      node: process.execPath,
      envFile: join(root, '.env'),
      writable: [root],
      user: 'root',
    });
    const file = join(root, 'waggle-hivenue-billing.service');
    writeFileSync(file, unit);
    const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    const complaints = `${verify.stdout}${verify.stderr}`
      .split('\n')
      // Not about the unit: this machine runs no systemd, so the units it would pull in are absent.
      .filter(
        (line) =>
          line && !/network-online\.target|multi-user\.target|not booted|Failed to connect|bus/i.test(line),
      );
    expect(complaints).toEqual([]);
    expect(verify.status, verify.stderr).toBe(0);
  });

  it('refuses values that would add directives or break out of a word', () => {
    expect(() => renderUnit({ ...input, releaseDir: '/srv/x\nExecStartPre=/bin/sh' })).toThrow(/releaseDir/);
    expect(() => renderUnit({ ...input, start: ['node', 'a.js', '"; rm -rf /'] })).toThrow(
      /cannot go in a unit/,
    );
    expect(() => renderUnit({ ...input, start: ['node', '$HOME'] })).toThrow(/cannot go in a unit/);
    expect(() => renderUnit({ ...input, user: 'root\nUser=x' })).toThrow(/user/);
    expect(() => renderUnit({ ...input, start: ['sh', '-c', 'x'] })).toThrow(/must run node/);
    expect(() => unitName('../etc')).toThrow(/name/);
  });
});
