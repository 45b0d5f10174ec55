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
}

export const DEFAULT_SSH_TIMING: SshTiming = {
  connectTimeoutMs: 10_000,
  connectAttempts: 3,
  retryDelayMs: 500,
};

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
    const bounded = options.timeoutMs
      ? ['timeout', '--kill-after=5', `${Math.ceil(options.timeoutMs / 1000)}s`, ...argv]
      : argv;
    const line = remoteCommandLine(bounded, options);
    return new Promise((resolve, reject) => {
      client.exec(line, (error, channel) => {
        if (error) return reject(this.failure('could not start a command', error));
        collect(channel, options.signal).then(resolve, reject);
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
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
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

/** A command's output and how it ended; cancelling signals it on the host and closes the channel. */
function collect(channel: ClientChannel, signal: AbortSignal | undefined): Promise<CommandResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let exitCode: number | null = null;
    let cancelled = false;
    channel.setEncoding('utf8');
    channel.stderr.setEncoding('utf8');
    channel.on('data', (chunk: string) => {
      stdout += chunk;
    });
    channel.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    channel.on('exit', (code: number | null) => {
      exitCode = code;
    });
    const onAbort = () => {
      cancelled = true;
      channel.signal('TERM');
      channel.close();
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    channel.on('close', () => {
      signal?.removeEventListener('abort', onAbort);
      // `timeout` exits 124 when it had to stop the command, 137 when it had to kill it.
      const outcome = cancelled ? 'cancelled' : exitCode === 124 || exitCode === 137 ? 'timeout' : 'exit';
      resolve({ exitCode, stdout, stderr, outcome });
    });
  });
}
