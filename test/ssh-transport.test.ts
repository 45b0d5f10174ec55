/**
 * The SSH transport against a real sshd in a network namespace of its own: argv arrives word for
 * word, one connection serves many commands, keys are pinned or known (never accepted blindly),
 * and a link cut in the middle of an upload leaves no half release behind.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostReleases, releaseId, releasePaths } from '../src/deploy/releases.js';
import { type SshTarget, SshTransport } from '../src/deploy/ssh-transport.js';
import { TestHosts } from './helpers/test-hosts.js';

describe('the SSH transport', () => {
  let hosts: TestHosts;
  let dir: string;
  let ssh: SshTransport;
  const target = (extra: Partial<SshTarget> = {}): SshTarget => {
    const web = hosts.hosts.web;
    if (!web) throw new Error('no web host');
    return {
      name: 'web',
      address: web.address,
      port: web.port,
      user: web.user,
      privateKey: hosts.clientKey,
      hostKey: web.hostKeyFingerprint,
      knownHostsFiles: [],
      ...extra,
    };
  };
  const root = () => hosts.hosts.web?.root as string;
  const logins = () =>
    readFileSync(join(hosts.dir, '.sshd', 'web', 'sshd.log'), 'utf8').split('Accepted publickey').length - 1;

  beforeAll(async () => {
    hosts = await TestHosts.start(['web']);
    dir = mkdtempSync(join(tmpdir(), 'waggle-ssh-'));
    ssh = new SshTransport(target());
  });
  afterAll(async () => {
    await ssh?.close();
    await hosts?.stop();
  });

  it('runs argv word for word over one connection, in the host namespace', async () => {
    const words = ["it's", '$(touch /tmp/pwned)', '`id`', 'a b', '; rm -rf /', '\\', '*'];
    const before = logins();
    const echoed = await ssh.run(['printf', '%s\\n', ...words]);
    expect(echoed).toMatchObject({ exitCode: 0, outcome: 'exit' });
    expect(echoed.stdout).toBe(`${words.join('\n')}\n`);
    const where = await ssh.run(['sh', '-c', 'pwd; echo "$GREETING"; ip -o -4 addr show eth0'], {
      cwd: root(),
      env: { GREETING: 'hello $USER' },
    });
    expect(where.stdout).toContain(`${root()}\nhello $USER\n`);
    expect(where.stdout).toContain(hosts.hosts.web?.address);
    expect((await ssh.run(['sh', '-c', 'exit 3'])).exitCode).toBe(3);
    expect(logins() - before).toBeLessThanOrEqual(1);
  });

  it('keeps a time limit on the host and stops a command when asked', async () => {
    const slow = await ssh.run(['sleep', '30'], { timeoutMs: 1_000 });
    expect(slow.outcome).toBe('timeout');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const cancelled = await ssh.run(['sleep', '30'], { signal: controller.signal });
    expect(cancelled.outcome).toBe('cancelled');
  });

  it('uploads, writes with a mode and reads files', async () => {
    const local = join(dir, 'payload.bin');
    writeFileSync(local, randomBytes(1 << 20));
    await ssh.upload(local, join(root(), 'in', 'payload.bin'));
    expect(readFileSync(join(root(), 'in', 'payload.bin')).equals(readFileSync(local))).toBe(true);
    await ssh.writeFile(join(root(), 'shared', '.env'), "KEY='secret'\n", 0o600);
    expect(statSync(join(root(), 'shared', '.env')).mode & 0o777).toBe(0o600);
    expect((await ssh.readFile(join(root(), 'shared', '.env')))?.toString()).toBe("KEY='secret'\n");
    expect(await ssh.readFile(join(root(), 'nothing-here'))).toBeUndefined();
  });

  it('refuses an unknown host key, saying how to pin it, and takes one known_hosts lists', async () => {
    const unknown = new SshTransport(target({ hostKey: undefined, knownHostsFiles: [join(dir, 'none')] }));
    await expect(unknown.run(['true'])).rejects.toThrow(
      `pin it with hostKey: "${hosts.hosts.web?.hostKeyFingerprint}"`,
    );
    const wrong = new SshTransport(target({ hostKey: `SHA256:${'A'.repeat(43)}` }));
    await expect(wrong.run(['true'])).rejects.toThrow(/not the pinned .*refusing to connect/);
    const known = new SshTransport(target({ hostKey: undefined, knownHostsFiles: [hosts.knownHostsPath] }));
    expect((await known.run(['true'])).exitCode).toBe(0);
    await known.close();
  });

  it('leaves no half release when the link is cut mid-upload, and a rerun completes it', async () => {
    // Random bytes do not compress: the upload takes long enough to be cut in the middle.
    const src = join(dir, 'big');
    execFileSync('mkdir', ['-p', src]);
    writeFileSync(join(src, 'blob.bin'), randomBytes(64 << 20));
    writeFileSync(join(src, 'index.js'), 'console.log("big")\n');
    const file = join(dir, 'big.tgz');
    execFileSync('tar', ['-czf', file, '-C', src, '.']);
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    const id = releaseId(new Date('2026-11-30T10:00:00Z'), 7, 'feedbeef');
    const facts = { id, package: 'web', sha256, commit: 'feedbeef', run: 7 };
    const cutOff = new SshTransport(target(), {
      connectTimeoutMs: 3_000,
      connectAttempts: 1,
      retryDelayMs: 100,
      keepaliveMs: 500,
      keepaliveCount: 2,
    });
    const releases = new HostReleases(cutOff, releasePaths(root(), 'hivenue', 'web'));
    await cutOff.run(['true']); // connected before the upload starts
    const install = releases.install(file, facts);
    setTimeout(() => void hosts.cut('web'), 150);
    await expect(install).rejects.toThrow();
    await hosts.restore('web');
    await cutOff.close();

    const again = new SshTransport(target());
    const retried = new HostReleases(again, releasePaths(root(), 'hivenue', 'web'));
    expect(await retried.list()).toEqual([]);
    expect(await retried.current()).toBeUndefined();
    expect(await retried.install(file, facts)).toBe('installed');
    await retried.activate(id);
    expect(readFileSync(join(retried.paths.current, 'index.js'), 'utf8')).toContain('big');
    await again.close();
  }, 60_000);
});
