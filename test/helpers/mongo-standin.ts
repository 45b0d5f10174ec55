/**
 * A MongoDB stand-in for a test file: the reference app's own starter
 * (examples/hivenue/tools/mongo-standin.mjs: CongoDB from @push.rocks/smartmongo, in memory) in a
 * child process on a loopback port the OS picks, so files running side by side never share one;
 * or inside a test host's network namespace, on that host's own address (a db host).
 *
 * The starter runs from the reference app because smartmongo, and the npm overrides it needs,
 * belong to the reference app: waggle speaks to MongoDB only through the official driver, so it
 * does not carry a stand-in among its own dependencies. When examples/hivenue has no install yet,
 * the first file that needs it runs the app's `npm ci` (once, under a lock file shared by parallel
 * test files: a few minutes); after that a stand-in is up in about half a second.
 *
 * Known gaps against a real server: string `_id`s are rejected and unique indexes are not enforced.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { REFERENCE_APP } from './hivenue.js';
import type { TestHosts } from './test-hosts.js';

const STARTER = join(REFERENCE_APP, 'tools', 'mongo-standin.mjs');
const INSTALLED = join(REFERENCE_APP, 'node_modules', '@push.rocks', 'smartmongo', 'package.json');
const INSTALL_LOCK = join(tmpdir(), 'waggle-test-hivenue-install.lock');

export interface MongoStandin {
  /** `mongodb://127.0.0.1:PORT`, without a database: add `/<name>` for one. */
  uri: string;
  stop(): Promise<void>;
}

/**
 * A stand-in on a loopback port the OS picks; or, given a test host, inside that host's network
 * namespace on its own address and the port given (a db host that services on others reach).
 */
export async function startMongoStandin(on?: {
  hosts: TestHosts;
  host: string;
  port: number;
}): Promise<MongoStandin> {
  await ensureReferenceAppInstalled();
  // --exit-on-stdin-end: a test process that dies without its afterAll leaves no server behind.
  const child = on
    ? on.hosts.spawn(on.host, [
        process.execPath,
        STARTER,
        '--host',
        addressOf(on.hosts, on.host),
        '--port',
        String(on.port),
        '--exit-on-stdin-end',
      ])
    : spawn(process.execPath, [STARTER, '--port', '0', '--exit-on-stdin-end'], {
        cwd: REFERENCE_APP,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const uri = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`mongo stand-in exited with ${code}: ${stderr.trim()}`)));
  });
  return { uri, stop: () => stopChild(child) };
}

function addressOf(hosts: TestHosts, name: string): string {
  const host = hosts.hosts[name];
  if (!host) throw new Error(`no test host ${name}`);
  return host.address;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function ensureReferenceAppInstalled(): Promise<void> {
  if (existsSync(INSTALLED)) return;
  for (;;) {
    if (takeInstallLock()) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (existsSync(INSTALLED) && !existsSync(INSTALL_LOCK)) return;
  }
  try {
    if (existsSync(INSTALLED)) return;
    await promisify(execFile)('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: REFERENCE_APP,
      timeout: 540_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } finally {
    unlinkSync(INSTALL_LOCK);
  }
}

/** Takes the lock file, or clears one whose owner died; false while a live process holds it. */
function takeInstallLock(): boolean {
  try {
    const fd = openSync(INSTALL_LOCK, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let owner: number;
  try {
    owner = Number(readFileSync(INSTALL_LOCK, 'utf8'));
  } catch {
    return false; // released in the meantime: the next round takes it
  }
  // An empty file is a lock being written right now.
  if (!owner || isAlive(owner)) return false;
  try {
    unlinkSync(INSTALL_LOCK);
  } catch {
    // Another waiter cleared it first; the next round decides.
  }
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
