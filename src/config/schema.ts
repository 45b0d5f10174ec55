/**
 * waggle.yml, declared once. Every option has its type, default and doc here; validation,
 * `waggle schema` (JSON Schema for editors) and the README reference all derive from it.
 * Strings may hold `${{ secrets.NAME }}` or `${{ vars.NAME }}`, read from the environment at use.
 */
import { z } from 'zod';
import { relativePath } from './paths.js';
import { RESERVED_PREFIX } from './secrets.js';
import { DURATION_PATTERN, PERCENT_PATTERN } from './units.js';

const duration = (doc: string) =>
  z
    .string()
    .regex(new RegExp(DURATION_PATTERN), 'must be a duration such as 500ms, 30s, 5m or 1h')
    .describe(doc);
const percent = (doc: string) =>
  z.string().regex(new RegExp(PERCENT_PATTERN), 'must be a percentage such as 1% or 0.5%').describe(doc);
const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" or "-"')
  .describe('A name: lowercase letters, digits, ".", "_", "-".');

const variableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment-variable name (letters, digits, "_")')
  .refine(
    (key) => !key.startsWith(RESERVED_PREFIX),
    `names starting with ${RESERVED_PREFIX} are waggle's own`,
  )
  .describe('An environment-variable name.');

/** A command is an argv array, or a string split on spaces (quotes group words; no shell runs it). */
export const command = z
  .union([z.string().min(1), z.array(z.string()).min(1)])
  .describe(
    'A command: an argv list, or a string split on spaces with quotes grouping words. No shell is involved.',
  );

const service = z
  .strictObject({
    port: z.number().int().min(1).max(65535).describe('Port the service listens on (given to it as PORT).'),
    health: z
      .string()
      .startsWith('/')
      .default('/healthz')
      .describe('Path answering 200 when the service is healthy.'),
    start: command
      .default('node dist/index.js')
      .describe('Command that starts the service, run in its release folder.'),
    env: z.record(z.string(), z.string()).default({}).describe('Extra environment for the service.'),
  })
  .describe('This package is a long-running Node service behind the router (api role).');

const site = z
  .strictObject({
    dist: relativePath(
      'Folder of the built static site, relative to the package (Angular: dist/<project>/browser).',
      'package',
    ),
  })
  .describe(
    'This package is a static site served by Nginx (web role). A package may be a service and a site at once (an Express server beside its Angular client): its release then holds both, so its outputs must hold what the service runs.',
  );

const suiteFields = {
  run: command.default('npm test --if-present').describe('Command that runs the suite.'),
  junit: relativePath(
    'JUnit XML file the suite writes, relative to the package; "none" for a suite that writes none (it then passes on its exit code alone).',
    'package',
  ).default('reports/junit.xml'),
  timeout: duration('Longest the suite may run before it is killed.').default('15m'),
  services: z
    .array(name)
    .default([])
    .describe(
      'Services (from the top-level `services`) started before this suite; their env is handed to it.',
    ),
};

const testSpec = z.strictObject(suiteFields);

const namedSuite = z.strictObject({
  name: name.describe('Name of the suite, unique in its package.'),
  ...suiteFields,
  inputs: z
    .array(relativePath('A file or folder of the package, relative to it.', 'package'))
    .optional()
    .describe(
      "What in the package this suite depends on. A change elsewhere in the package, outside every suite's inputs (package.json, the lockfile), reaches every suite. Default: the whole package.",
    ),
});

const packageSpec = z.strictObject({
  path: relativePath(
    'Folder of the package, relative to the repository root ("." for a package at the root).',
    'repository',
  ),
  dependsOn: z
    .array(z.string())
    .optional()
    .describe('Packages this one needs built first. Default: its workspace dependencies from package.json.'),
  build: z
    .union([command, z.literal(false)])
    .default('npm run build --if-present')
    .describe('Build command run in the package folder; false for none.'),
  outputs: z
    .array(relativePath('A file or folder the build writes, relative to the package.', 'package'))
    .default(['dist'])
    .describe('What the build writes, relative to the package; cached by input hash and packaged.'),
  test: z
    .union([testSpec, z.array(namedSuite).min(1), z.literal(false)])
    .default({ run: 'npm test --if-present', junit: 'reports/junit.xml', timeout: '15m', services: [] })
    .describe(
      'How the package is tested: one suite, a list of named suites (a front-end and a back-end in one package.json), or false for no tests.',
    ),
  env: z
    .record(
      variableName,
      z
        .string()
        .describe(
          'Its value; may hold ${{ secrets.NAME }} or ${{ vars.NAME }}. Names starting with WAGGLE_ are refused.',
        ),
    )
    .default({})
    .describe(
      "Variables and secrets handed to this package's build and test steps; nothing else from the server's environment reaches them.",
    ),
  service: service.optional(),
  site: site.optional(),
});

const testService = z
  .strictObject({
    run: command.describe(
      'Command that starts the service, run at the repository root with the minimal step environment plus its env.',
    ),
    ready: z
      .union([
        z.strictObject({
          tcp: z
            .union([
              z.number().int().min(1).max(65535),
              z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port'),
            ])
            .describe(
              'A port on 127.0.0.1, or host:port, that accepts connections once the service is ready.',
            ),
        }),
        z.strictObject({
          http: z.string().url().describe('A URL that answers 2xx once the service is ready.'),
        }),
      ])
      .describe('How to tell the service is ready: a TCP port or an HTTP URL.'),
    timeout: duration('Longest to wait for the service to be ready.').default('30s'),
    env: z
      .record(variableName, z.string())
      .default({})
      .describe('Variables handed to the service and to the suites that use it (e.g. MONGODB_URI).'),
  })
  .describe('A process a test suite needs (a database), started by waggle and stopped when the run ends.');

const retention = z
  .strictObject({
    workspaces: z
      .number()
      .int()
      .min(0)
      .default(3)
      .describe('Run workspaces kept, newest first; older ones are removed after each run.'),
    artifacts: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Runs whose artifacts are kept, newest first (artifacts a release uses are always kept).'),
    installs: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe('Installed node_modules trees kept in the cache, newest first.'),
    builds: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Build outputs kept in the cache for each package, newest first.'),
  })
  .describe("How much of waggle's state is kept: old workspaces, artifacts and cache entries are removed.");

export const EVENTS = [
  'run.started',
  'run.succeeded',
  'run.failed',
  'deploy.started',
  'deploy.succeeded',
  'deploy.failed',
  'e2e.passed',
  'e2e.failed',
  'approval.requested',
  'approval.granted',
  'approval.rejected',
  'rollout.started',
  'rollout.step',
  'rollout.promoted',
  'rollout.aborted',
] as const;
const EVENT_GROUPS = [...new Set(EVENTS.map((event) => `${event.split('.')[0]}.*`))];
const event = z
  .enum(['all', ...EVENTS, ...EVENT_GROUPS])
  .describe('An event a contact wants, a group such as deploy.*, or all.');

const contact = z
  .strictObject({
    name: z.string().optional().describe('Who this is, for messages and the dashboard.'),
    email: z.string().optional().describe('E-mail address (sent over SMTP).'),
    slack: z.string().optional().describe('Slack incoming-webhook URL (a secret).'),
    teams: z.string().optional().describe('Microsoft Teams incoming-webhook URL (a secret).'),
    discord: z.string().optional().describe('Discord webhook URL (a secret).'),
    webhook: z
      .strictObject({
        url: z.string().describe('Where the JSON is POSTed.'),
        secret: z.string().describe('Key of the HMAC-SHA256 signature header (a secret).'),
      })
      .optional()
      .describe('A generic JSON webhook, signed with HMAC-SHA256 and a timestamp.'),
    github: z.boolean().optional().describe('Post GitHub commit statuses for the run.'),
    on: z.array(event).min(1).default(['all']).describe('Events this contact is told about.'),
  })
  .describe('A person or a channel told about events.');

const role = z
  .enum(['web', 'api', 'db'])
  .describe('web: Nginx + static site; api: Node services; db: MongoDB.');

const hostKey = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'must be a fingerprint as ssh-keygen -lf prints it: SHA256:...')
  .describe(
    "The host's SSH key fingerprint (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the host). Without it, the key must be in ~/.ssh/known_hosts; an unknown key is refused.",
  );

const staticHost = z.strictObject({
  name: name.describe('Host name, unique in the environment.'),
  address: z.string().optional().describe('SSH address (IP or DNS name). Leave out for a local-folder host.'),
  path: z.string().optional().describe('Root folder of a local-folder host (the embedded default).'),
  user: z.string().default('root').describe('SSH user.'),
  port: z.number().int().min(1).max(65535).default(22).describe('SSH port.'),
  key: z.string().optional().describe('SSH private key (a secret) or a path to it.'),
  hostKey: hostKey.optional(),
  roles: z.array(role).min(1).describe('What runs on this host.'),
});

const digitalOcean = z.strictObject({
  digitalocean: z.strictObject({
    tag: z.string().describe('Droplets with this tag make up the environment.'),
    token: z.string().describe('DigitalOcean API token (a secret).'),
    user: z.string().default('root').describe('SSH user.'),
    key: z.string().optional().describe('SSH private key (a secret) or a path to it.'),
    network: z
      .enum(['public', 'private'])
      .default('public')
      .describe(
        "Which of a droplet's IPv4 addresses waggle connects to (private: waggle runs in the same VPC).",
      ),
    roleTagPrefix: z
      .string()
      .default('waggle-role-')
      .describe(
        'A droplet tagged waggle-role-web, waggle-role-api or waggle-role-db has that role; a droplet with no role tag has all.',
      ),
  }),
});

const analysis = z
  .strictObject({
    interval: duration('How often each step is judged.').default('30s'),
    maxErrorRate: percent('Highest 5xx rate the new colour may show.').default('1%'),
    maxP95: duration('Highest p95 latency the new colour may show.').default('500ms'),
    compare: z
      .enum(['stable', 'absolute'])
      .default('stable')
      .describe(
        'stable: also fail when the new colour is clearly worse than the stable one; absolute: limits only.',
      ),
    failureLimit: z
      .number()
      .int()
      .min(0)
      .default(2)
      .describe('Failed measurements tolerated before an abort.'),
    minRequests: z
      .number()
      .int()
      .min(0)
      .default(20)
      .describe('Fewer requests than this make a measurement inconclusive.'),
  })
  .describe('How metrics decide each step.');

const step = z.strictObject({
  weight: z.number().min(0).max(100).describe('Percent of traffic sent to the new colour.'),
  pause: duration('How long to hold this weight while analysis runs.').optional(),
});

const strategy = z.union([
  z.strictObject({
    blueGreen: z
      .strictObject({
        analysis: analysis.optional(),
        bake: duration('How long the old colour stays warm after the switch.').default('10m'),
      })
      .describe('Deploy to the idle colour, check it, switch all traffic at once.'),
  }),
  z.strictObject({
    canary: z
      .strictObject({
        steps: z.array(step).min(1).describe('Traffic weights in order; the last should be 100.'),
        analysis: analysis.default({
          interval: '30s',
          maxErrorRate: '1%',
          maxP95: '500ms',
          compare: 'stable',
          failureLimit: 2,
          minRequests: 20,
        }),
        bake: duration('How long the old colour stays warm after 100%.').default('10m'),
      })
      .describe('Shift traffic to the new colour in weighted steps judged by metrics.'),
  }),
]);

const approval = z.union([
  z.literal('auto').describe('Proceed without waiting.'),
  z.strictObject({
    approvers: z.array(z.string()).min(1).describe('Who may approve.'),
    quorum: z.number().int().min(1).default(1).describe('How many approvals are needed.'),
    expires: duration('How long a request stays open before it lapses.').default('24h'),
  }),
]);

const environment = z.strictObject({
  after: z.string().optional().describe('Environment that must succeed first (production after staging).'),
  approval: approval.default('auto').describe('Whether a person approves before this environment changes.'),
  hosts: z
    .union([z.array(staticHost).min(1), digitalOcean])
    .describe('The servers: a list, or a DigitalOcean tag.'),
  url: z.string().optional().describe('Public URL of the environment (used by e2e tests and links).'),
  e2e: z
    .strictObject({
      path: relativePath('Folder of the Playwright project, relative to the repository root.', 'repository'),
      run: command
        .default('npx playwright test')
        .describe(
          "Command that runs the suite in that folder against BASE_URL (the environment's URL); Cypress works through a command that writes JUnit.",
        ),
      junit: relativePath('JUnit XML the suite writes, relative to its folder.', 'package').default(
        'reports/junit.xml',
      ),
      evidence: relativePath(
        'Folder of screenshots and traces of failed tests, relative to the suite folder; kept as an artifact of the deploy.',
        'package',
      ).default('reports/artifacts'),
      timeout: duration('Longest the e2e suite may run.').default('15m'),
    })
    .optional()
    .describe('End-to-end tests run against the environment after each deploy.'),
  strategy: strategy.optional().describe('How traffic moves to a new release. Default: blue-green.'),
  keepReleases: z
    .number()
    .int()
    .min(1)
    .default(5)
    .describe('Release folders kept on each host for rollback.'),
  base: z
    .string()
    .regex(/^\/[A-Za-z0-9._/-]*$/, 'must be an absolute path of letters, digits, ".", "_", "-"')
    .default('/srv/waggle')
    .describe(
      'Folder on each SSH host under which waggle keeps releases, env files, logs and nginx; a local host uses its own path.',
    ),
  router: z
    .strictObject({
      port: z.number().int().min(1).max(65535).default(80).describe('Port nginx listens on for HTTP.'),
      address: z.string().optional().describe('Address nginx listens on (default: every IPv4 address).'),
      serverName: z.string().optional().describe('server_name of the site (default: any).'),
      https: z
        .strictObject({
          port: z.number().int().min(1).max(65535).default(443).describe('Port for HTTPS.'),
          certificate: z.string().startsWith('/').describe('Certificate chain file on the web hosts.'),
          key: z.string().startsWith('/').describe('Private key file on the web hosts.'),
          hsts: z.boolean().default(true).describe('Send Strict-Transport-Security.'),
        })
        .optional()
        .describe('HTTPS, with HTTP redirected to it.'),
    })
    .default({ port: 80 })
    .describe('nginx on the web hosts: the site, and /api/<package>/ to each service.'),
  services: z
    .strictObject({
      manager: z
        .enum(['pm2', 'systemd'])
        .default('pm2')
        .describe(
          'What keeps the services running on the api hosts: pm2 (needs `npm install -g pm2`), or systemd units in /etc/systemd/system (the SSH user must be root).',
        ),
      user: z
        .string()
        .regex(/^[a-z_][a-z0-9_-]*$/, 'must be a user name')
        .default('www-data')
        .describe('With systemd: the unprivileged user the services run as.'),
    })
    .default({ manager: 'pm2', user: 'www-data' })
    .describe('How services are run on their hosts.'),
  health: z
    .strictObject({
      timeout: duration('Longest one health request may take.').default('5s'),
      within: duration('How long a new release has to become healthy.').default('60s'),
    })
    .default({ timeout: '5s', within: '60s' })
    .describe("How a service's health check is made after each deploy."),
  env: z
    .record(name, z.record(variableName, z.string()))
    .default({})
    .describe(
      "Each service's variables in this environment, by package: values may hold ${{ secrets.NAME }}, ${{ vars.NAME }} and ${{ hosts.<role> }} (the address of the first host with that role). Written to the host's shared/.env (mode 0600), never into a release.",
    ),
  database: z
    .strictObject({
      uri: z.string().describe('mongodb:// URI of the database, as waggle reaches it (a secret).'),
      migrations: relativePath(
        'Folder of migration scripts (each exports up(db)), relative to the repository root.',
        'repository',
      ).optional(),
      backups: z.number().int().min(0).default(5).describe('Backups kept; 0: no backup before a deploy.'),
    })
    .optional()
    .describe('MongoDB tasks before each deploy: a backup, then migrations.'),
});

const server = z
  .strictObject({
    host: z.string().default('127.0.0.1').describe('Address `waggle serve` listens on.'),
    port: z.number().int().min(0).max(65535).default(8340).describe('Port `waggle serve` listens on.'),
    publicUrl: z
      .string()
      .optional()
      .describe('URL people and GitHub reach the server at; links in notifications start with it.'),
    repository: z
      .string()
      .optional()
      .describe(
        'Clone URL (or local path) of the repository the server builds. Default: the git root of waggle.yml.',
      ),
    poll: duration(
      'How often to compare branch heads on GitHub with the runs seen, for missed deliveries; 0s: never.',
    ).default('0s'),
    workers: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(1)
      .describe(
        'How many CI runs the server works on at once (runs of different branches side by side). Deploys take one place per environment besides.',
      ),
  })
  .describe('The waggle server: webhook receiver, API, dashboard and the worker that runs the queue.');

const github = z
  .strictObject({
    repository: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name')
      .describe('The repository on GitHub, as owner/name.'),
    token: z.string().optional().describe('Token for commit statuses and branch polling (a secret).'),
    apiUrl: z
      .string()
      .default('https://api.github.com')
      .describe('GitHub API base URL (GitHub Enterprise: https://HOST/api/v3).'),
  })
  .describe('GitHub: commit statuses and polling for missed push deliveries.');

const smtp = z
  .strictObject({
    host: z.string().describe('SMTP server.'),
    port: z.number().int().min(1).max(65535).default(587).describe('SMTP port.'),
    secure: z
      .boolean()
      .default(false)
      .describe('TLS from the first byte (port 465); otherwise STARTTLS when offered.'),
    user: z.string().optional().describe('SMTP user.'),
    password: z.string().optional().describe('SMTP password (a secret).'),
    from: z.string().default('waggle <waggle@localhost>').describe('Sender of notification e-mails.'),
  })
  .describe('How e-mail notifications are sent.');

export const configSchema = z
  .strictObject({
    name: name.describe('Project name.'),
    trigger: z
      .strictObject({
        branches: z.array(z.string()).min(1).default(['main']).describe('Branches whose pushes start a run.'),
      })
      .default({ branches: ['main'] })
      .describe('What starts a run.'),
    packages: z
      .record(name, packageSpec)
      .refine((packages) => Object.keys(packages).length > 0, 'at least one package is needed')
      .describe('The packages of the monorepo, by name.'),
    services: z
      .record(name, testService)
      .default({})
      .describe(
        'Processes test suites need (a database), by name; started only for the suites that list them.',
      ),
    retention: retention.default({ workspaces: 3, artifacts: 10, installs: 2, builds: 20 }),
    contacts: z.array(contact).default([]).describe('Who hears about what.'),
    server: server.default({ host: '127.0.0.1', port: 8340, poll: '0s', workers: 1 }),
    github: github.optional(),
    smtp: smtp.optional(),
    environments: z.record(name, environment).default({}).describe('Where releases go, by name.'),
  })
  .describe('waggle.yml: one file from a git push to production.');

export type Config = z.output<typeof configSchema>;
export type PackageConfig = z.output<typeof packageSpec>;
export type SuiteConfig = z.output<typeof testSpec> & { name?: string; inputs?: string[] };
export type TestServiceConfig = z.output<typeof testService>;
export type EnvironmentConfig = z.output<typeof environment>;
export type Command = z.output<typeof command>;
export type ContactConfig = z.output<typeof contact>;
export type EventName = (typeof EVENTS)[number];

export function jsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input' });
}
