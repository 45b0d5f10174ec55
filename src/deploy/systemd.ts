/**
 * Services under systemd, on hosts that run it (real Ubuntu servers): each service a unit
 * rendered from config (systemd-unit.ts), written to /etc/systemd/system, restarted from the
 * release it names. The same operations as pm2's, so a deploy does not care which a host has.
 */
import { posix } from 'node:path';
import type { ServiceStart } from './pm2.js';
import { renderUnit, unitName } from './systemd-unit.js';
import { mustRun, type Transport } from './transport.js';

const UNIT_FOLDER = '/etc/systemd/system';

export class Systemd {
  constructor(
    private readonly transport: Transport,
    /** The user services run as: not root. */
    private readonly user: string,
    private readonly node = '/usr/bin/node',
  ) {}

  /** Does this host run systemd? (No PID 1 systemd in containers and on the test hosts.) */
  static async runsOn(transport: Transport): Promise<boolean> {
    return (await transport.run(['test', '-d', '/run/systemd/system'])).exitCode === 0;
  }

  async start(service: ServiceStart): Promise<void> {
    const unit = unitName(service.name);
    const text = renderUnit({
      name: service.name,
      description: `${service.name} (waggle)`,
      releaseDir: service.releaseDir,
      start: service.start,
      node: this.node,
      envFile: service.envFile,
      writable: [posix.dirname(service.envFile), service.logDir],
      port: Number(service.env.PORT),
      user: this.user,
    });
    await this.transport.writeFile(posix.join(UNIT_FOLDER, unit), text, 0o644);
    await mustRun(this.transport, ['systemctl', 'daemon-reload']);
    await mustRun(this.transport, ['systemctl', 'enable', '--quiet', unit]);
    await mustRun(this.transport, ['systemctl', 'restart', unit]);
  }

  async stop(name: string): Promise<void> {
    await this.transport.run(['systemctl', 'stop', unitName(name)]);
  }

  /** The last lines the service wrote, from the journal. */
  async lastLines(service: Pick<ServiceStart, 'name'>, lines = 40): Promise<string> {
    const result = await this.transport.run([
      'journalctl',
      '--no-pager',
      '--output=cat',
      '-n',
      String(lines),
      '-u',
      unitName(service.name),
    ]);
    return result.stdout;
  }
}
