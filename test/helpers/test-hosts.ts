/**
 * Real test hosts for deploy tests: each host is a network namespace with its own address on a
 * private /24 and its own sshd, all linked by one bridge to this machine (whose end of the bridge
 * has an address too, so the test process connects to the hosts directly). The filesystem is
 * shared: each host gets its own root folder, which deploy code uses as the host's base path.
 *
 * Everything a fixture makes is named after its id, `<prefix><pid>-<n>` (e.g. `wgl4711-0`):
 * namespaces `<id>-<host>`, the bridge `<id>b`, the machine's ends of the veths `<id>h<i>`, the
 * folder `<tmp>/<id>-XXXXXX`. The pid in the name lets `start` sweep what crashed runs left behind
 * (only when that pid is gone) and never touch anything else. Subnets are claimed with lock files
 * (`<tmp>/wgl-subnet-10.77.<n>.lock`) so fixtures in parallel workers never share one.
 *
 * Needs root, iproute2, /usr/sbin/sshd and ssh-keygen.
 */
import { type ChildProcess, execFileSync, type StdioOptions, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestHost {
  name: string;
  /** The host's own address on the fixture's bridge; sshd listens on it. */
  address: string;
  port: number;
  user: 'root';
  /** The host's own base folder on the shared filesystem. */
  root: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** The host key's public line, `ssh-ed25519 AAAA…`. */
  hostPublicKey: string;
  namespace: string;
  /** The machine's end of the host's veth (what `cut` takes down). */
  link: string;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The first two octets of every fixture's subnet; the third is picked per fixture. */
const NET = '10.77';
const SSHD = '/usr/sbin/sshd';
const NETNS_DIR = '/run/netns';
const SSHD_START_MS = 10_000;
const LOCK_RE = /^wgl-subnet-10\.77\.(\d+)\.lock$/;
/** Fixtures made by this process so far; on globalThis so that re-imports of this module share it. */
const COUNTER = Symbol.for('waggle.test-hosts.counter');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Alive and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function ip(args: string[], input?: string): string {
  return execFileSync('ip', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs `ip -batch -` and ignores failures (used for cleanup: some of it may already be gone). */
function ipBatchForce(lines: string[]): void {
  if (lines.length === 0) return;
  try {
    ip(['-force', '-batch', '-'], `${lines.join('\n')}\n`);
  } catch {
    // Reported per line on stderr; what matters is checked by the callers.
  }
}

function run(cmd: string, args: string[], options: { timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code: code ?? 128 + (signal ? constants.signals[signal] : 0), stdout, stderr });
    });
  });
}

async function runOk(cmd: string, args: string[]): Promise<string> {
  const result = await run(cmd, args);
  if (result.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.code}: ${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

/** Resolves once a TCP connection to address:port is accepted; rejects with the error otherwise. */
export function tcpConnect(address: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${address}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** Whether the prefixes a/aLen and b/bLen share any address. */
function overlaps(a: string, aLen: number, b: string, bLen: number): boolean {
  const len = Math.min(aLen, bLen);
  if (len === 0) return true;
  const shift = 2 ** (32 - len);
  return Math.floor(ipv4ToInt(a) / shift) === Math.floor(ipv4ToInt(b) / shift);
}

/** Third octets of 10.77.x.0/24 subnets that an address or route on this machine already overlaps. */
function subnetsInUse(): Set<number> {
  const prefixes: Array<[string, number]> = [];
  const addrs = JSON.parse(ip(['-j', '-4', 'addr'])) as Array<{
    addr_info?: Array<{ family?: string; local?: string; prefixlen?: number }>;
  }>;
  for (const link of addrs) {
    for (const info of link.addr_info ?? []) {
      if (info.family === 'inet' && info.local) prefixes.push([info.local, info.prefixlen ?? 32]);
    }
  }
  const routes = JSON.parse(ip(['-j', '-4', 'route', 'show', 'table', 'all'])) as Array<{ dst?: string }>;
  for (const route of routes) {
    const match = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(route.dst ?? '');
    if (match) prefixes.push([match[1] as string, match[2] ? Number(match[2]) : 32]);
  }
  const used = new Set<number>();
  for (let n = 0; n < 256; n++) {
    if (prefixes.some(([address, len]) => overlaps(address, len, `${NET}.${n}.0`, 24))) used.add(n);
  }
  return used;
}

/** The pid in a name this module made with that prefix, or undefined when it is not one of ours. */
function creatorPid(name: string, prefix: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const match = /^(\d+)-[0-9a-z]+(?:[bh]|-)/.exec(name.slice(prefix.length));
  return match ? Number(match[1]) : undefined;
}

function killNamespaceProcesses(namespace: string): number[] {
  let pids: number[] = [];
  try {
    pids = ip(['netns', 'pids', namespace]).split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids;
}

function namespacesOnMachine(): string[] {
  try {
    return readdirSync(NETNS_DIR);
  } catch {
    return [];
  }
}

/** Removes namespaces, interfaces, folders and subnet locks of fixtures whose process is gone. */
function sweepLeftovers(prefix: string): void {
  const dead = (name: string) => {
    const pid = creatorPid(name, prefix);
    return pid !== undefined && pid !== process.pid && !alive(pid);
  };
  const namespaces = namespacesOnMachine().filter(dead);
  for (const namespace of namespaces) killNamespaceProcesses(namespace);
  const links = (JSON.parse(ip(['-j', 'link'])) as Array<{ ifname: string }>)
    .map((link) => link.ifname)
    .filter(dead);
  ipBatchForce([
    ...links.map((link) => `link del ${link}`),
    ...namespaces.map((namespace) => `netns del ${namespace}`),
  ]);
  const tmp = tmpdir();
  for (const entry of readdirSync(tmp)) {
    if (dead(entry)) {
      rmSync(join(tmp, entry), { recursive: true, force: true });
    } else if (LOCK_RE.test(entry)) {
      try {
        const pid = Number(readFileSync(join(tmp, entry), 'utf8').split(' ')[0]);
        // An empty lock is being written by its owner right now.
        if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmSync(join(tmp, entry), { force: true });
      } catch {
        // Being written or removed by its owner right now.
      }
    }
  }
}

/** Claims a free 10.77.<n>.0/24 with a lock file; returns n and the lock's path. */
function claimSubnet(id: string, seed: number): { n: number; lock: string } {
  const used = subnetsInUse();
  for (let i = 0; i < 256; i++) {
    const n = (seed + i) % 256;
    if (used.has(n)) continue;
    const lock = join(tmpdir(), `wgl-subnet-${NET}.${n}.lock`);
    try {
      // Fails when the lock exists: stale ones (owner gone) were swept before.
      writeFileSync(lock, `${process.pid} ${id}\n`, { flag: 'wx' });
      return { n, lock };
    } catch {
      // Another fixture's subnet.
    }
  }
  throw new Error(`no free ${NET}.x.0/24 subnet for test hosts`);
}

export class TestHosts {
  readonly hosts: Record<string, TestHost>;
  /** Everything this fixture made is named after it, e.g. `wgl4711-0`. */
  readonly id: string;
  /** The fixture's folder: hosts' roots, keys, sshd configs and logs. */
  readonly dir: string;
  readonly subnet: string;
  /** This machine's address on the bridge (the hosts' default route). */
  readonly gateway: string;
  readonly bridge: string;
  /** Private key (ed25519, no passphrase) authorized for root on every host. */
  readonly clientKeyPath: string;
  readonly clientKey: string;
  /** Every host's key at its address (and port, when not 22). */
  readonly knownHostsPath: string;

  private readonly lock: string;
  private readonly children = new Set<ChildProcess>();
  private readonly onExit = () => this.cleanupSync();
  private stopped = false;

  private constructor(init: {
    id: string;
    dir: string;
    n: number;
    lock: string;
    hosts: Record<string, TestHost>;
    clientKeyPath: string;
    clientKey: string;
    knownHostsPath: string;
  }) {
    this.id = init.id;
    this.dir = init.dir;
    this.subnet = `${NET}.${init.n}.0/24`;
    this.gateway = `${NET}.${init.n}.1`;
    this.bridge = `${init.id}b`;
    this.lock = init.lock;
    this.hosts = init.hosts;
    this.clientKeyPath = init.clientKeyPath;
    this.clientKey = init.clientKey;
    this.knownHostsPath = init.knownHostsPath;
  }

  /**
   * Makes the hosts (e.g. `['web', 'api', 'db']` or `['staging']`) and resolves once every sshd
   * accepts connections. `prefix` (1-4 lowercase letters, default `wgl`) starts every name made.
   */
  static async start(names: string[], options: { prefix?: string } = {}): Promise<TestHosts> {
    const prefix = options.prefix ?? 'wgl';
    if (!/^[a-z]{1,4}$/.test(prefix))
      throw new Error(`test hosts prefix must be 1-4 lowercase letters: ${prefix}`);
    if (names.length === 0 || names.length > 36) throw new Error('test hosts: between 1 and 36 hosts');
    for (const name of names) {
      if (!/^[a-z][a-z0-9-]{0,31}$/.test(name)) throw new Error(`test host name not allowed: ${name}`);
    }
    if (new Set(names).size !== names.length) throw new Error(`test host names repeat: ${names.join(', ')}`);
    if (process.getuid?.() !== 0) throw new Error('test hosts need root (network namespaces)');

    sweepLeftovers(prefix);

    const store = globalThis as unknown as Record<symbol, number | undefined>;
    let id: string;
    do {
      const count = store[COUNTER] ?? 0;
      store[COUNTER] = count + 1;
      id = `${prefix}${process.pid}-${count.toString(36)}`;
    } while (
      existsSync(`/sys/class/net/${id}b`) ||
      namespacesOnMachine().some((namespace) => namespace.startsWith(`${id}-`))
    );
    if (`${id}h${(names.length - 1).toString(36)}`.length > 15) {
      throw new Error(`interface names of ${id} would pass 15 characters`);
    }

    const { n, lock } = claimSubnet(id, (process.pid * 7 + (store[COUNTER] ?? 0) * 31) % 256);
    const dir = await mkdtemp(join(tmpdir(), `${id}-`));
    const hosts: Record<string, TestHost> = {};
    names.forEach((name, i) => {
      hosts[name] = {
        name,
        address: `${NET}.${n}.${10 + i}`,
        port: 22,
        user: 'root',
        root: join(dir, name),
        hostKeyFingerprint: '',
        hostPublicKey: '',
        namespace: `${id}-${name}`,
        link: `${id}h${i.toString(36)}`,
      };
    });
    const ssh = join(dir, '.ssh');
    const fixture = new TestHosts({
      id,
      dir,
      n,
      lock,
      hosts,
      clientKeyPath: join(ssh, 'id_ed25519'),
      clientKey: '',
      knownHostsPath: join(ssh, 'known_hosts'),
    });
    process.on('exit', fixture.onExit);
    try {
      await fixture.build(names);
    } catch (error) {
      await fixture.stop().catch(() => undefined);
      throw error;
    }
    return fixture;
  }

  private async build(names: string[]): Promise<void> {
    const hosts = names.map((name) => this.hosts[name] as TestHost);
    const ssh = join(this.dir, '.ssh');
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    await mkdir(ssh, { mode: 0o700 });
    await Promise.all(hosts.map((host) => mkdir(host.root)));
    await Promise.all(hosts.map((host) => mkdir(join(this.dir, '.sshd', host.name), { recursive: true })));

    const keygen = (file: string, comment: string) =>
      runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
    const hostKey = (host: TestHost) => join(this.dir, '.sshd', host.name, 'ssh_host_ed25519_key');
    const keys = Promise.all([
      keygen(this.clientKeyPath, `waggle-test@${this.id}`),
      ...hosts.map(async (host) => {
        await keygen(hostKey(host), `root@${host.name}`);
        const printed = await runOk('ssh-keygen', ['-lf', `${hostKey(host)}.pub`]);
        const fingerprint = /\b(SHA256:[A-Za-z0-9+/]+)/.exec(printed)?.[1];
        if (!fingerprint) throw new Error(`ssh-keygen -lf printed no fingerprint: ${printed}`);
        host.hostKeyFingerprint = fingerprint;
        host.hostPublicKey = (await readFile(`${hostKey(host)}.pub`, 'utf8'))
          .split(' ')
          .slice(0, 2)
          .join(' ');
      }),
    ]);

    // The network: one `ip -batch` for the bridge, namespaces and veths, one per namespace inside.
    const network = (async () => {
      await runBatch(
        [],
        [
          `link add ${this.bridge} type bridge forward_delay 0`,
          `addr add ${this.gateway}/24 dev ${this.bridge}`,
          `link set ${this.bridge} up`,
          ...hosts.flatMap((host) => [
            `netns add ${host.namespace}`,
            `link add ${host.link} type veth peer name eth0 netns ${host.namespace}`,
            `link set ${host.link} master ${this.bridge} up`,
          ]),
        ],
      );
      await Promise.all(
        hosts.map((host) =>
          runBatch(
            ['-n', host.namespace],
            [
              'link set lo up',
              `addr add ${host.address}/24 dev eth0`,
              'link set eth0 up',
              `route add default via ${this.gateway}`,
            ],
          ),
        ),
      );
    })();
    await Promise.all([keys, network]);

    const clientKey = await readFile(this.clientKeyPath, 'utf8');
    (this as { clientKey: string }).clientKey = clientKey;
    await writeFile(join(ssh, 'authorized_keys'), await readFile(`${this.clientKeyPath}.pub`, 'utf8'));
    await writeFile(
      this.knownHostsPath,
      hosts
        .map((host) => {
          const where = host.port === 22 ? host.address : `[${host.address}]:${host.port}`;
          return `${where} ${host.hostPublicKey}\n`;
        })
        .join(''),
    );
    await Promise.all(hosts.map((host) => this.startSshd(host, hostKey(host), join(ssh, 'authorized_keys'))));
  }

  private async startSshd(host: TestHost, hostKey: string, authorizedKeys: string): Promise<void> {
    const etc = join(this.dir, '.sshd', host.name);
    const config = join(etc, 'sshd_config');
    const log = join(etc, 'sshd.log');
    const output = join(etc, 'sshd.out');
    await writeFile(
      config,
      [
        `ListenAddress ${host.address}:${host.port}`,
        `HostKey ${hostKey}`,
        `PidFile ${join(etc, 'sshd.pid')}`,
        `AuthorizedKeysFile ${authorizedKeys}`,
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'StrictModes no',
        'UsePAM no',
        'UseDNS no',
        'PrintMotd no',
        'PrintLastLog no',
        'MaxStartups 100',
        'MaxSessions 100',
        'Subsystem sftp internal-sftp',
        // bash sources ~/.bashrc for commands run over SSH only at shell level 1. This machine's
        // /root/.bashrc (pyenv init) costs ~0.9 s per command; test hosts act as clean servers.
        'SetEnv SHLVL=1',
        '',
      ].join('\n'),
    );
    // -D keeps sshd in the foreground as this process's child: an sshd that cannot start (bad
    // config, address in use) exits at once instead of failing silently after daemonizing.
    const fd = openSync(output, 'a');
    const child = this.spawnIn(host, [SSHD, '-D', '-f', config, '-E', log], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child.unref();
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = `exited with ${code ?? signal}`;
    });
    child.once('error', (error) => {
      exited = `failed to start: ${error.message}`;
    });
    const deadline = Date.now() + SSHD_START_MS;
    for (;;) {
      if (exited === undefined) {
        try {
          await tcpConnect(host.address, host.port, 500);
          return;
        } catch {
          // Not listening yet.
        }
      }
      if (exited !== undefined || Date.now() > deadline) {
        const read = (file: string) => readFile(file, 'utf8').catch(() => '');
        throw new Error(
          `sshd of test host ${host.name} (${host.namespace}, ${host.address}:${host.port}) ` +
            `${exited ?? `did not accept connections within ${SSHD_START_MS} ms`}\n` +
            `${await read(output)}${await read(log)}`,
        );
      }
      await sleep(10);
    }
  }

  private host(name: string): TestHost {
    const host = this.hosts[name];
    if (!host) throw new Error(`no test host ${name} (have ${Object.keys(this.hosts).join(', ')})`);
    if (this.stopped) throw new Error(`test hosts ${this.id} are stopped`);
    // Nothing is sent into a namespace that is not there (anymore).
    if (!existsSync(join(NETNS_DIR, host.namespace))) throw new Error(`namespace ${host.namespace} is gone`);
    return host;
  }

  private spawnIn(host: TestHost, argv: string[], options: { stdio?: StdioOptions } = {}): ChildProcess {
    if (argv.length === 0) throw new Error('empty argv');
    const child = spawn('ip', ['netns', 'exec', host.namespace, ...argv], { stdio: options.stdio ?? 'pipe' });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Runs argv (no shell) inside the host's namespace and waits for it to end. */
  async exec(host: string, argv: string[], options: { timeoutMs?: number } = {}): Promise<ExecResult> {
    const { namespace } = this.host(host);
    if (argv.length === 0) throw new Error('empty argv');
    return run('ip', ['netns', 'exec', namespace, ...argv], options);
  }

  /** Starts argv (no shell) inside the host's namespace; `stop()` kills it if it still runs. */
  spawn(host: string, argv: string[]): ChildProcess {
    return this.spawnIn(this.host(host), argv);
  }

  /** Takes the machine's end of the host's link down: the host drops off the network. */
  async cut(host: string): Promise<void> {
    await runOk('ip', ['link', 'set', this.host(host).link, 'down']);
  }

  /** Brings the host's link back up and waits until its sshd is reachable again. */
  async restore(host: string): Promise<void> {
    const target = this.host(host);
    await runOk('ip', ['link', 'set', target.link, 'up']);
    const deadline = Date.now() + SSHD_START_MS;
    for (;;) {
      try {
        await tcpConnect(target.address, target.port, 500);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(10);
      }
    }
  }

  /** Kills everything running in the namespaces, removes namespaces, links, bridge and folder. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    const pids = this.cleanupSync();
    const deadline = Date.now() + 5_000;
    while (pids.some(running) && Date.now() < deadline) await sleep(10);
    const left = this.leftovers();
    const stillRunning = pids.filter(running);
    if (left.length > 0 || stillRunning.length > 0) {
      throw new Error(
        `test hosts ${this.id} left behind: ${[...left, ...stillRunning.map((pid) => `pid ${pid}`)].join(', ')}`,
      );
    }
  }

  /** Namespaces, interfaces and folders of this fixture that still exist. */
  leftovers(): string[] {
    const mine = (name: string) => name === this.bridge || name.startsWith(`${this.id}h`);
    const links = (JSON.parse(ip(['-j', 'link'])) as Array<{ ifname: string }>)
      .map((link) => link.ifname)
      .filter(mine);
    const namespaces = Object.values(this.hosts)
      .map((host) => host.namespace)
      .filter((namespace) => existsSync(join(NETNS_DIR, namespace)));
    return [...namespaces, ...links, ...(existsSync(this.dir) ? [this.dir] : [])];
  }

  /** Synchronous, so it also runs from a `process.on('exit')` hook; returns the pids it killed. */
  private cleanupSync(): number[] {
    if (this.stopped) return [];
    this.stopped = true;
    process.off('exit', this.onExit);
    const pids: number[] = [];
    for (const child of this.children) {
      if (child.pid !== undefined) pids.push(child.pid);
      child.kill('SIGKILL');
    }
    const hosts = Object.values(this.hosts);
    for (const host of hosts) {
      if (existsSync(join(NETNS_DIR, host.namespace))) pids.push(...killNamespaceProcesses(host.namespace));
    }
    ipBatchForce([
      ...hosts.map((host) => `link del ${host.link}`),
      `link del ${this.bridge}`,
      ...hosts.map((host) => `netns del ${host.namespace}`),
    ]);
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.lock, { force: true });
    return [...new Set(pids)];
  }
}

async function runBatch(options: string[], lines: string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('ip', [...options, '-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`ip ${[...options, '-batch'].join(' ')} failed (${code}): ${stderr}`));
    });
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}
