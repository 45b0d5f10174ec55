/**
 * Who runs pushed code. Installs, builds, suites, their services and end-to-end suites run as an
 * unprivileged user of their own whenever waggle can switch to one (it runs as root, or holds
 * CAP_SETUID and CAP_SETGID), so a hostile test cannot read what waggle's own user can: its SSH
 * keys, its store, `/proc/<waggle>/environ` with the webhook secret. The environment a step gets
 * (step-env.ts) keeps server variables out; this keeps the server's files out.
 *
 * As root the user is `waggle-steps`, made on first use (a system user with no home and no
 * login shell); WAGGLE_STEP_USER names another. Without the privilege to switch, steps run as
 * waggle's own user and `waggle doctor` says what that exposes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { FailedOperationError } from '../errors.js';
import { exec } from './process.js';

export interface StepUser {
  name: string;
  uid: number;
  gid: number;
}

export const DEFAULT_STEP_USER = 'waggle-steps';

/** Bits of the effective capability set (linux/capability.h). */
const CAP_SETGID = 6;
const CAP_SETUID = 7;

/**
 * The user steps run as, or undefined when they run as waggle's own user (no privilege to
 * switch, or WAGGLE_STEP_USER names waggle's own user).
 */
export function stepUser(env: NodeJS.ProcessEnv = process.env): StepUser | undefined {
  const root = process.getuid?.() === 0;
  if (!root && !canSwitchUser()) return undefined;
  const name = env.WAGGLE_STEP_USER || (root ? DEFAULT_STEP_USER : undefined);
  if (!name) return undefined;
  const user = lookUp(name) ?? (name === DEFAULT_STEP_USER && root ? made(name) : undefined);
  if (!user)
    throw new FailedOperationError(
      `WAGGLE_STEP_USER names ${name}, who is not a user of this machine (make one: useradd --system --user-group --no-create-home --shell /usr/sbin/nologin ${name})`,
    );
  if (user.uid === process.getuid?.()) return undefined;
  if (user.uid === 0)
    throw new FailedOperationError(`steps never run as root: WAGGLE_STEP_USER names ${name}`);
  return user;
}

/** Why steps can or cannot read what waggle's own user can, for `waggle doctor` and `serve`. */
export function describeStepIsolation(env: NodeJS.ProcessEnv = process.env): {
  ok: boolean;
  detail: string;
  fix?: string;
} {
  try {
    const user = stepUser(env);
    if (user) return { ok: true, detail: `steps run as ${user.name} (uid ${user.uid})` };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
  const self = lookUpUid(process.getuid?.() ?? -1) ?? 'this user';
  return {
    ok: false,
    detail: `steps run as ${self}, waggle's own user: pushed code can read what ${self} can (SSH keys, waggle's store)`,
    fix: `run waggle as root (steps then run as ${DEFAULT_STEP_USER}), or give it CAP_SETUID and CAP_SETGID (systemd: AmbientCapabilities=CAP_SETUID CAP_SETGID) and set WAGGLE_STEP_USER`,
  };
}

/**
 * Gives a folder to the step user: everything in it, or (`directories`) only its folders, so
 * files hard-linked from a cache stay waggle's and cannot be changed in place by a step.
 */
export async function handOver(
  path: string,
  user: StepUser,
  what: 'everything' | 'directories' = 'everything',
): Promise<void> {
  const owner = `${user.uid}:${user.gid}`;
  const argv =
    what === 'everything'
      ? ['chown', '-R', '--no-dereference', owner, '--', path]
      : ['find', path, '-type', 'd', '-exec', 'chown', '--no-dereference', owner, '--', '{}', '+'];
  await exec(argv, { cwd: '/' });
}

/** Takes a tree back for waggle's own user: what a cache keeps, no step may change afterwards. */
export async function takeBack(path: string): Promise<void> {
  const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  await exec(['chown', '-R', '--no-dereference', owner, '--', path], { cwd: '/' });
}

function canSwitchUser(): boolean {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    if (!hex) return false;
    const effective = BigInt(`0x${hex}`);
    return ((effective >> BigInt(CAP_SETUID)) & 1n) === 1n && ((effective >> BigInt(CAP_SETGID)) & 1n) === 1n;
  } catch {
    return false;
  }
}

function lookUp(name: string): StepUser | undefined {
  const entry = passwd().find((fields) => fields[0] === name);
  return entry ? { name, uid: Number(entry[2]), gid: Number(entry[3]) } : undefined;
}

function lookUpUid(uid: number): string | undefined {
  return passwd().find((fields) => Number(fields[2]) === uid)?.[0];
}

function passwd(): string[][] {
  try {
    // getent sees the users of every source nsswitch names, not only /etc/passwd.
    return execFileSync('getent', ['passwd'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.split(':'));
  } catch {
    return [];
  }
}

function made(name: string): StepUser | undefined {
  try {
    execFileSync(
      'useradd',
      [
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/usr/sbin/nologin',
        name,
      ],
      { stdio: 'pipe' },
    );
  } catch {
    // Another waggle made it at the same moment, or useradd is missing: the lookup says which.
  }
  return lookUp(name);
}
