/**
 * The test-host fixture: hosts in network namespaces, each with its own address and sshd, reached
 * over a bridge by this process and by each other; a cut link is a real network fault; `stop`
 * leaves nothing behind, and `start` sweeps what crashed runs left.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestHost, TestHosts, tcpConnect } from './helpers/test-hosts.js';

/** `SHA256:<base64, no padding>` of an SSH key blob, as `ssh-keygen -lf` prints it. */
function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** An ssh2 connection as root with the fixture's key, accepting only the expected host key. */
function sshConnect(host: TestHost, privateKey: string, expectedFingerprint: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on('ready', () => resolve(client))
      .on('error', reject)
      .connect({
        host: host.address,
        port: host.port,
        username: host.user,
        privateKey,
        readyTimeout: 5_000,
        hostVerifier: (key: Buffer) => fingerprint(key) === expectedFingerprint,
      });
  });
}

function sshExec(client: Client, command: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let stdout = '';
      stream.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      stream.stderr.resume();
      stream.on('close', (code: number) => resolve({ code, stdout }));
    });
  });
}

function fastPut(client: Client, local: string, remote: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error) return reject(error);
      sftp.fastPut(local, remote, (putError) => {
        sftp.end();
        if (putError) reject(putError);
        else resolve();
      });
    });
  });
}

/** Names of this machine's namespaces and interfaces. */
const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
const links = () =>
  (JSON.parse(execFileSync('ip', ['-j', 'link'], { encoding: 'utf8' })) as Array<{ ifname: string }>).map(
    (link) => link.ifname,
  );
const namespacePids = (namespace: string) =>
  execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' })
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** What a fixture made: none of it may be left after `stop()`. */
function expectGone(fixture: TestHosts, pids: number[]): void {
  const listed = namespaces();
  for (const host of Object.values(fixture.hosts)) expect(listed).not.toContain(host.namespace);
  expect(links().filter((name) => name.startsWith(fixture.id))).toEqual([]);
  expect(pids.length).toBeGreaterThan(0);
  expect(pids.filter(alive)).toEqual([]);
  expect(existsSync(fixture.dir)).toBe(false);
}

describe('three test hosts: web, api, db', () => {
  let fixture: TestHosts;
  let startMs = 0;
  const local = mkdtempSync(join(tmpdir(), 'wgl-test-hosts-'));
  /** Fixtures of single tests, stopped at the end whatever became of the test. */
  const own: TestHosts[] = [];

  beforeAll(async () => {
    const t0 = performance.now();
    fixture = await TestHosts.start(['web', 'api', 'db']);
    startMs = performance.now() - t0;
  });

  afterAll(async () => {
    await Promise.all([fixture, ...own].map((hosts) => hosts?.stop()));
    rmSync(local, { recursive: true, force: true });
  });

  it('starts in about a second, each host with its own namespace, address, root and host key', () => {
    expect(startMs).toBeLessThan(5_000);
    const hosts = Object.values(fixture.hosts);
    expect(hosts.map((host) => host.name)).toEqual(['web', 'api', 'db']);
    expect(fixture.subnet).toMatch(/^10\.77\.\d+\.0\/24$/);
    for (const host of hosts) {
      expect(host.address.split('.').slice(0, 3)).toEqual(fixture.gateway.split('.').slice(0, 3));
      expect(host.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(host.link.length).toBeLessThanOrEqual(15);
      expect(existsSync(host.root)).toBe(true);
    }
    for (const key of ['address', 'namespace', 'root', 'hostKeyFingerprint'] as const) {
      expect(new Set(hosts.map((host) => host[key])).size).toBe(3);
    }
    expect(fixture.clientKey).toContain('OPENSSH PRIVATE KEY');
    expect(readFileSync(fixture.clientKeyPath, 'utf8')).toBe(fixture.clientKey);
  });

  it('logs in to every host with the client key, checks its host key, runs a command and uploads by SFTP', async () => {
    const source = join(local, 'hello.txt');
    writeFileSync(source, 'hello from the test\n');
    await Promise.all(
      Object.values(fixture.hosts).map(async (host) => {
        const client = await sshConnect(host, fixture.clientKey, host.hostKeyFingerprint);
        try {
          // The session runs inside the host's namespace: its eth0 carries the host's address.
          const result = await sshExec(client, 'echo ok && ip -4 -o addr show dev eth0');
          expect(result.code).toBe(0);
          expect(result.stdout).toMatch(/^ok\n/);
          expect(result.stdout).toContain(`inet ${host.address}/24`);
          await fastPut(client, source, join(host.root, 'hello.txt'));
        } finally {
          client.end();
        }
        expect(readFileSync(join(host.root, 'hello.txt'), 'utf8')).toBe('hello from the test\n');
      }),
    );
  });

  it('refuses a host whose key is not the one pinned', async () => {
    const { web, api } = fixture.hosts as Record<'web' | 'api', TestHost>;
    await expect(sshConnect(api, fixture.clientKey, web.hostKeyFingerprint)).rejects.toThrow(
      /verification failed/i,
    );
  });

  it('writes a known_hosts that OpenSSH accepts with strict host key checking', () => {
    const lines = readFileSync(fixture.knownHostsPath, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const host of Object.values(fixture.hosts)) {
      const line = lines.find((entry) => entry.startsWith(`${host.address} `)) ?? '';
      const blob = Buffer.from(line.split(' ')[2] ?? '', 'base64');
      expect(fingerprint(blob)).toBe(host.hostKeyFingerprint);
    }
    const db = fixture.hosts.db as TestHost;
    const ssh = (knownHosts: string) =>
      spawnSync(
        'ssh',
        [
          '-F',
          '/dev/null',
          '-i',
          fixture.clientKeyPath,
          '-o',
          'BatchMode=yes',
          '-o',
          'StrictHostKeyChecking=yes',
          '-o',
          `UserKnownHostsFile=${knownHosts}`,
          '-o',
          'GlobalKnownHostsFile=/dev/null',
          '-o',
          'ConnectTimeout=5',
          `root@${db.address}`,
          'echo ok',
        ],
        { encoding: 'utf8', timeout: 10_000 },
      );
    const accepted = ssh(fixture.knownHostsPath);
    expect(accepted.stderr).toBe('');
    expect(accepted.stdout).toBe('ok\n');
    const empty = join(local, 'known_hosts.empty');
    writeFileSync(empty, '');
    expect(ssh(empty).status).toBe(255);
  });

  it('hosts reach each other through the bridge: web to api, api to db', async () => {
    const { api, db } = fixture.hosts as Record<'api' | 'db', TestHost>;
    // A TCP listener inside db, started through the fixture so that stop() would kill it too.
    const server = fixture.spawn('db', [
      process.execPath,
      '-e',
      `require('net').createServer((s) => s.end('db says hi\\n')).listen(7000, ${JSON.stringify(db.address)}, () => console.log('listening'))`,
    ]);
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('listening')) resolve();
        });
        server.once('exit', (code) => reject(new Error(`listener in db exited with ${code}`)));
      });
      const client = (address: string, port: number) => [
        process.execPath,
        '-e',
        `const s = require('net').connect(${port}, ${JSON.stringify(address)}); let d = '';
         s.on('data', (c) => { d += c; }).on('end', () => { process.stdout.write(d); });
         s.on('connect', () => { if (${port} === 22) { console.log('connected'); s.destroy(); } });
         s.on('error', (e) => { console.error(e.message); process.exit(1); });
         setTimeout(() => { console.error('timeout'); process.exit(2); }, 3000).unref();`,
      ];
      const [apiToDb, webToApi] = await Promise.all([
        fixture.exec('api', client(db.address, 7000), { timeoutMs: 10_000 }),
        fixture.exec('web', client(api.address, api.port), { timeoutMs: 10_000 }),
      ]);
      expect(apiToDb).toEqual({ code: 0, stdout: 'db says hi\n', stderr: '' });
      expect(webToApi).toEqual({ code: 0, stdout: 'connected\n', stderr: '' });
    } finally {
      server.kill();
    }
  });

  it('exec runs an argv in the namespace, no shell, and reports its exit code', async () => {
    const result = await fixture.exec('web', ['sh', '-c', 'echo "$0"; exit 3', '$(not expanded)']);
    expect(result).toEqual({ code: 3, stdout: '$(not expanded)\n', stderr: '' });
    await expect(fixture.exec('nope', ['true'])).rejects.toThrow(/no test host nope/);
  });

  it('cut takes a host off the network, restore brings it back', async () => {
    const { web, api } = fixture.hosts as Record<'web' | 'api', TestHost>;
    await fixture.cut('api');
    const t0 = performance.now();
    await expect(tcpConnect(api.address, api.port, 1_000)).rejects.toThrow();
    expect(performance.now() - t0).toBeLessThan(2_000);
    // The others are not affected.
    await tcpConnect(web.address, web.port, 1_000);
    await fixture.restore('api');
    const client = await sshConnect(api, fixture.clientKey, api.hostKeyFingerprint);
    try {
      expect((await sshExec(client, 'echo ok')).stdout).toBe('ok\n');
    } finally {
      client.end();
    }
  });

  it('stop kills the sshds and what was started in the namespaces, and removes all it made', async () => {
    // Hosts of its own: stopping the shared ones would take them from every test after this one.
    const hosts = await TestHosts.start(['web', 'api', 'db']);
    own.push(hosts);
    const pids = Object.values(hosts.hosts).flatMap((host) => namespacePids(host.namespace));
    expect(pids.length).toBeGreaterThanOrEqual(3);
    // Something left running in a namespace in the background, not started through spawn().
    const stray = await hosts.exec('web', ['sh', '-c', 'sleep 60 >/dev/null 2>&1 & echo $!']);
    const strayPid = Number(stray.stdout);
    expect(alive(strayPid)).toBe(true);
    await hosts.stop();
    expectGone(hosts, [...pids, strayPid]);
    await expect(hosts.exec('web', ['true'])).rejects.toThrow(/stopped/);
    await hosts.stop();
  });
});

describe('one test host, two fixtures at once, and the sweep of leftovers', () => {
  let fixtures: TestHosts[] = [];
  const leftover = { namespace: '', bridge: '', dir: '', pid: 0 };

  beforeAll(async () => {
    // What a run killed mid-test leaves: named after its pid, which is gone.
    const deadPid = spawnSync('true').pid as number;
    leftover.namespace = `wgl${deadPid}-0-old`;
    leftover.bridge = `wgl${deadPid}-0b`;
    leftover.dir = join(tmpdir(), `wgl${deadPid}-0-leftover`);
    execFileSync('ip', ['netns', 'add', leftover.namespace]);
    execFileSync('ip', ['link', 'add', leftover.bridge, 'type', 'bridge']);
    mkdirSync(leftover.dir);
    const sleeper = spawn('ip', ['netns', 'exec', leftover.namespace, 'sleep', '60'], { stdio: 'ignore' });
    leftover.pid = sleeper.pid as number;
    await vi.waitFor(() => expect(namespacePids(leftover.namespace)).toContain(leftover.pid), {
      timeout: 5_000,
      interval: 10,
    });
  });

  afterAll(async () => {
    await Promise.all(fixtures.map((fixture) => fixture.stop()));
    spawnSync('ip', ['netns', 'del', leftover.namespace], { stdio: 'ignore' });
    spawnSync('ip', ['link', 'del', leftover.bridge], { stdio: 'ignore' });
    rmSync(leftover.dir, { recursive: true, force: true });
  });

  it('sweeps a dead run, then two single-host fixtures started at once share nothing and serve SSH', async () => {
    fixtures = await Promise.all([TestHosts.start(['staging']), TestHosts.start(['staging'])]);
    // Whichever start swept it (or another run's, in parallel), the dead run's things are gone.
    expect(namespaces()).not.toContain(leftover.namespace);
    expect(links()).not.toContain(leftover.bridge);
    expect(existsSync(leftover.dir)).toBe(false);
    await vi.waitFor(() => expect(alive(leftover.pid)).toBe(false), { timeout: 2_000, interval: 10 });

    const [a, b] = fixtures as [TestHosts, TestHosts];
    expect(a.id).not.toBe(b.id);
    expect(a.subnet).not.toBe(b.subnet);
    await Promise.all(
      fixtures.map(async (fixture) => {
        expect(Object.keys(fixture.hosts)).toEqual(['staging']);
        const staging = fixture.hosts.staging as TestHost;
        const client = await sshConnect(staging, fixture.clientKey, staging.hostKeyFingerprint);
        try {
          const result = await sshExec(client, `echo ${fixture.id} > ${staging.root}/marker && echo ok`);
          expect(result.stdout).toBe('ok\n');
        } finally {
          client.end();
        }
        expect(readFileSync(join(staging.root, 'marker'), 'utf8')).toBe(`${fixture.id}\n`);
      }),
    );

    const pids = fixtures.map((fixture) => namespacePids((fixture.hosts.staging as TestHost).namespace));
    await Promise.all(fixtures.map((fixture) => fixture.stop()));
    expectGone(a, pids[0] as number[]);
    expectGone(b, pids[1] as number[]);
  });
});
