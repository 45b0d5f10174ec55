/**
 * A service as a systemd unit, for hosts that run systemd (real Ubuntu servers). Rendered from
 * config by a pure function; every value is checked before it reaches the file, so a name or a
 * path cannot add a directive. Like pm2's, the unit starts the service from a release's real
 * folder (WorkingDirectory and ExecStart name it, not `current`); systemd reads the env file (root's,
 * mode 0600) and hands the variables to the service, which runs as an unprivileged user with the
 * system around it read-only.
 *
 * Why EnvironmentFile= rather than `node --env-file` as under pm2: the services of every app on a
 * host run as the one `services.user`, so a file that user could read would show each service the
 * others' secrets, and a service could rewrite its own. Read by systemd as root, the file stays
 * out of every service's reach and each gets only its own variables. The price is a second reader
 * of the same file: env-file.ts writes it so that Node and systemd read the same values.
 */
import { BadInputError } from '../errors.js';

export interface UnitInput {
  /** `<app>-<package>`: the unit is `waggle-<name>.service`. */
  name: string;
  description: string;
  /** The release's real folder. */
  releaseDir: string;
  /** argv: `node` first; its path is resolved on the host (`/usr/bin/node`). */
  start: readonly string[];
  node: string;
  envFile: string;
  /** Folders the service may write to (its shared folder). */
  writable: readonly string[];
  port: number;
  user: string;
}

export function unitName(name: string): string {
  return `waggle-${checked('name', name, /^[a-z0-9][a-z0-9._-]*$/)}.service`;
}

export function renderUnit(input: UnitInput): string {
  const [node, ...args] = input.start;
  if (node !== 'node') throw new BadInputError(`service ${input.name}: its start command must run node`);
  const path = (what: string, value: string) => checked(what, value, /^\/[A-Za-z0-9._@+=,/-]*$/);
  const word = (value: string) => {
    // systemd splits ExecStart like a shell; quote each word and refuse what quoting cannot carry.
    if (/[\0\n\r"\\$%]/.test(value))
      throw new BadInputError(`service ${input.name}: "${value}" cannot go in a unit`);
    return `"${value}"`;
  };
  return [
    '[Unit]',
    `Description=${checked('description', input.description, /^[^\n\r]*$/)}`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `User=${checked('user', input.user, /^[a-z_][a-z0-9_-]*$/)}`,
    `WorkingDirectory=${path('releaseDir', input.releaseDir)}`,
    `Environment=PORT=${input.port}`,
    'Environment=NODE_ENV=production',
    `EnvironmentFile=${path('envFile', input.envFile)}`,
    `ExecStart=${[path('node', input.node), ...args.map(word)].join(' ')}`,
    'Restart=on-failure',
    'RestartSec=2',
    'TimeoutStopSec=15',
    'NoNewPrivileges=yes',
    'PrivateTmp=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    `ReadWritePaths=${input.writable.map((folder) => path('writable', folder)).join(' ')}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

function checked(what: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) throw new BadInputError(`systemd unit: ${what} "${value}" is not allowed`);
  return value;
}
