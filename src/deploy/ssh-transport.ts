/**
 * A host reached over SSH (npm ssh2): one connection per host, opened on first use and reused;
 * the host key checked before anything is sent; connecting retried on transient failures;
 * commands quoted from argv (remote-command.ts) and bounded in time on the host itself.
 */
import { dirname } from 'node:path';
import { Client, type ClientChannel, type SFTPWrapper } from 'ssh2';
import { FailedOperationError } from '../errors.js';
import { checkHostKey, type HostKeyPolicy } from './host-key.js';
import { remoteCommandLine } from './remote-command.js';
import { type CommandOptions, type CommandResult, mustRun, type Transport } from './transport.js';

export interface SshTarget extends HostKeyPolicy {
  user: string;
  /** The private key's text. */
  privateKey: string;
}

export interface SshTiming {
  /** How long a connection may take, handshake included. */
  connectTimeoutMs: number;
  /** Attempts at connecting when the failure may pass (refused, unreachable, timed out). */
  connectAttempts: number;
  /** First wait between attempts; doubled each time. */
  retryDelayMs: number;
  /** How often an idle or stalled connection is probed; this many unanswered probes end it. */
  keepaliveMs: number;
  keepaliveCount: number;
}

export const DEFAULT_SSH_TIMING: SshTiming = {
  connectTimeoutMs: 10_000,
  connectAttempts: 3,
  retryDelayMs: 500,
  keepaliveMs: 10_000,
  keepaliveCount: 3,
};

/**
 * Runs the command under timeout(1), which leads a process group of its own and passes a TERM on
 * to all of it; `sh` first prints its pid (which exec makes timeout's), so a cancel can send that
 * TERM. Fixed text: the command's words come after it as arguments, never inside it.
 */
const LAUNCHER = ['sh', '-c', 'echo "$$"; exec "$@"', 'waggle'];
const KILL_GRACE_S = 5;

/** Errors of the network, not of the host's answer: worth another try. */
const TRANSIENT =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|Timed out while waiting for handshake/;

export class SshTransport implements Transport {
  readonly name: string;
  private client: Promise<Client> | undefined;
  private connected: Client | undefined;
  private sftpSession: Promise<SFTPWrapper> | undefined;

  constructor(
    private readonly target: SshTarget,
    private readonly timing: SshTiming = DEFAULT_SSH_TIMING,
  ) {
    this.name = target.name;
  }

  async run(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const client = await this.connection();
    // The host bounds the command itself: a channel closed here would not stop it there.
    const seconds = options.timeoutMs ? Math.ceil(options.timeoutMs / 1000) : 0;
    const line = remoteCommandLine(
      [...LAUNCHER, 'timeout', `--kill-after=${KILL_GRACE_S}`, `${seconds}s`, ...argv],
      options,
    );
    const stop = (pid: number) => {
      this.run(['kill', '-TERM', String(pid)]).catch(() => undefined);
    };
    return new Promise((resolve, reject) => {
      client.exec(line, (error, channel) => {
        if (error) return reject(this.failure('could not start a command', error));
        collect(channel, { signal: options.signal, stop, timed: seconds > 0 }).then(resolve, reject);
      });
    });
  }

  async upload(localFile: string, hostPath: string): Promise<void> {
    await mustRun(this, ['mkdir', '-p', '--', dirname(hostPath)]);
    const sftp = await this.sftp();
    await new Promise<void>((resolve, reject) =>
      sftp.fastPut(localFile, hostPath, (error) =>
        error ? reject(this.failure(`could not upload to ${hostPath}`, error)) : resolve(),
      ),
    );
  }

  async writeFile(hostPath: string, content: string | Buffer, mode: number): Promise<void> {
    await mustRun(this, ['mkdir', '-p', '--', dirname(hostPath)]);
    const sftp = await this.sftp();
    const partial = `${hostPath}.partial`;
    const step = (what: string, call: (done: (error?: Error | null) => void) => void) =>
      new Promise<void>((resolve, reject) =>
        call((error) => (error ? reject(this.failure(`could not ${what} ${hostPath}`, error)) : resolve())),
      );
    await step('write', (done) => sftp.writeFile(partial, content, { mode }, done));
    // The mode again: the host's umask may have narrowed what open() was given, never widened.
    await step('set the mode of', (done) => sftp.chmod(partial, mode, done));
    await step('rename into', (done) => sftp.ext_openssh_rename(partial, hostPath, done));
  }

  async readFile(hostPath: string): Promise<Buffer | undefined> {
    const sftp = await this.sftp();
    return new Promise((resolve, reject) =>
      sftp.readFile(hostPath, (error: (Error & { code?: number }) | undefined, data: Buffer) => {
        if (error?.code === 2) return resolve(undefined); // SSH_FX_NO_SUCH_FILE
        if (error) return reject(this.failure(`could not read ${hostPath}`, error));
        resolve(data);
      }),
    );
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.sftpSession = undefined;
    if (!client) return;
    try {
      (await client).end();
    } catch {
      // It never connected: nothing to close.
    }
  }

  private connection(): Promise<Client> {
    this.client ??= this.connectWithRetries().catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpSession ??= this.connection()
      .then(
        (client) =>
          new Promise<SFTPWrapper>((resolve, reject) =>
            client.sftp((error, sftp) =>
              error ? reject(this.failure('could not open SFTP', error)) : resolve(sftp),
            ),
          ),
      )
      .catch((error: unknown) => {
        this.sftpSession = undefined;
        throw error;
      });
    return this.sftpSession;
  }

  private async connectWithRetries(): Promise<Client> {
    let delay = this.timing.retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.connectOnce();
      } catch (error) {
        const transient = !(error instanceof FailedOperationError) && TRANSIENT.test(String(error));
        if (!transient || attempt >= this.timing.connectAttempts)
          throw this.failure('could not connect', error);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay *= 2;
      }
    }
  }

  private connectOnce(): Promise<Client> {
    const { target } = this;
    return new Promise((resolve, reject) => {
      const client = new Client();
      let refusal: Error | undefined;
      client.on('ready', () => {
        this.connected = client;
        // A connection that drops later is opened anew on next use.
        client.on('close', () => {
          if (this.connected !== client) return;
          this.connected = undefined;
          this.client = undefined;
          this.sftpSession = undefined;
        });
        resolve(client);
      });
      client.on('error', (error) => reject(refusal ?? error));
      client.connect({
        host: target.address,
        port: target.port,
        username: target.user,
        privateKey: target.privateKey,
        readyTimeout: this.timing.connectTimeoutMs,
        keepaliveInterval: this.timing.keepaliveMs,
        keepaliveCountMax: this.timing.keepaliveCount,
        hostVerifier: (key: Buffer) => {
          try {
            checkHostKey(target, key);
            return true;
          } catch (error) {
            refusal = error as Error;
            return false;
          }
        },
      });
    });
  }

  private failure(what: string, error: unknown): Error {
    if (error instanceof FailedOperationError) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new FailedOperationError(
      `${this.target.name} (${this.target.user}@${this.target.address}:${this.target.port}): ${what}: ${reason}`,
      { cause: error },
    );
  }
}

/**
 * A command's output and how it ended. The launcher's first line is its pid, not output: a cancel
 * uses it to stop the command's whole process group on the host.
 */
function collect(
  channel: ClientChannel,
  how: { signal?: AbortSignal; stop: (pid: number) => void; timed: boolean },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let pid: number | undefined;
    let exitCode: number | null = null;
    let cancelled = false;
    channel.setEncoding('utf8');
    channel.stderr.setEncoding('utf8');
    channel.on('data', (chunk: string) => {
      stdout += chunk;
      if (pid !== undefined) return;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      pid = Number(stdout.slice(0, newline));
      stdout = stdout.slice(newline + 1);
      if (cancelled) how.stop(pid);
    });
    channel.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    channel.on('exit', (code: number | null) => {
      exitCode = code;
    });
    const onAbort = () => {
      cancelled = true;
      if (pid !== undefined) how.stop(pid);
    };
    if (how.signal?.aborted) onAbort();
    how.signal?.addEventListener('abort', onAbort, { once: true });
    channel.on('close', () => {
      how.signal?.removeEventListener('abort', onAbort);
      // timeout(1) exits 124 when it had to stop the command, 137 when it had to kill it.
      const timedOut = how.timed && (exitCode === 124 || exitCode === 137);
      const outcome = cancelled ? 'cancelled' : timedOut ? 'timeout' : 'exit';
      resolve({ exitCode, stdout, stderr, outcome });
    });
  });
}
