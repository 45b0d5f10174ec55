/**
 * The router's state rendered as one complete nginx.conf, by a pure function: the same state gives
 * the same bytes, and the version written into the file is a hash of them.
 *
 * Choices made here, once:
 * - The file stands alone for nginx running from a private prefix: its own pid, error_log and the
 *   five temp paths, and its own `types` block rather than an include of /etc/nginx/mime.types,
 *   so `nginx -t` judges exactly what will be served and a host whose nginx does not come from
 *   Debian (or has an edited mime.types) serves the same types.
 * - `/api/<module>/` is proxied with the prefix stripped (`proxy_pass http://api_<module>/;`): each
 *   Express service is an app mounted at `/` that also runs alone on its port, where its routes
 *   are `/health`, `/invoices`. The prefix travels as `X-Forwarded-Prefix` for apps that build URLs.
 * - Upstream connections are kept alive (`keepalive 16`) and closed by nginx after 4 s idle, below
 *   Node's default keepAliveTimeout (5 s): nginx never sends a request on a connection the service
 *   is closing at that moment (an idempotent one it would retry; a POST would fail with a 502), and
 *   a release stopping gracefully sees its idle connections gone within 4 s and can end.
 * - nginx is the edge: `X-Forwarded-For` is the client's address, never a list a client sent; an
 *   `X-Request-Id` a client sent is kept only when it is a short plain token, else nginx makes one.
 * - Security headers go on every response (`always`), repeated in each location that adds a
 *   header of its own (nginx drops inherited `add_header`s there). The Content-Security-Policy only
 *   forbids framing, plugins and `<base>` changes: limiting scripts or styles would break Angular's
 *   inline styles and its `onload` stylesheet loading, and APIs may live on other origins.
 * - HSTS (when asked) is `max-age` for a year without `includeSubDomains`: this config knows one
 *   site, not its siblings.
 * - `/.well-known/acme-challenge/` is served on HTTP with or without TLS, so certbot's webroot
 *   mode can fetch a first certificate before there is one.
 * - A loopback-only `location = /__waggle/config` answers the version, so an apply can prove the
 *   running nginx serves this file. It is on the HTTP server and kept out of the access log.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { BadInputError } from '../errors.js';
import { type NginxPaths, nginxPaths } from './nginx-paths.js';
import {
  safeHost,
  safeListenAddress,
  safeName,
  safePath,
  safePort,
  safeServerName,
  safeWeight,
} from './nginx-values.js';

export interface NginxUpstreamServer {
  address: string;
  port: number;
  /** nginx's `weight=` (1-1000); absent means nginx's default, 1. */
  weight?: number;
}

export interface NginxApi {
  /** The module: served at `/api/<name>/`, upstream `api_<name>`. */
  name: string;
  upstreams: readonly NginxUpstreamServer[];
}

export interface NginxState {
  /** nginx's private prefix: config, pid, logs and temp files live under it. */
  prefix: string;
  listen: { http: number; https?: number; address?: string };
  serverName?: string;
  /** The Angular site; `root` is typically `<base>/<app>/web/current`. */
  site?: { root: string };
  apis: readonly NginxApi[];
  tls?: { certificate: string; key: string; hsts?: boolean };
  /** The JSON access log. */
  accessLog: string;
  /** certbot's webroot; default `<prefix>/acme`. */
  acmeRoot?: string;
}

export interface RenderedNginxConfig {
  text: string;
  /** 16 hex digits of the file's sha256 (taken before the version itself is written in). */
  version: string;
  paths: NginxPaths;
  /** Where, on the host, `/__waggle/config` answers the version. */
  probeUrl: string;
  /** Folders nginx needs before it starts: it creates none of its logs' or temp paths' parents. */
  folders: string[];
}

export const PROBE_PATH = '/__waggle/config';

const INDENT = '    ';
type Lines = string[];
const block = (head: string, body: Lines): Lines => [
  `${head} {`,
  ...body.map((line) => (line === '' ? line : INDENT + line)),
  '}',
];

const MIME_TYPES: readonly [string, string][] = [
  ['text/html', 'html htm'],
  ['text/css', 'css'],
  ['text/javascript', 'js mjs'],
  ['application/json', 'json map'],
  ['application/manifest+json', 'webmanifest'],
  ['application/wasm', 'wasm'],
  ['application/xml', 'xml'],
  ['application/pdf', 'pdf'],
  ['text/plain', 'txt'],
  ['image/svg+xml', 'svg svgz'],
  ['image/png', 'png'],
  ['image/jpeg', 'jpg jpeg'],
  ['image/gif', 'gif'],
  ['image/webp', 'webp'],
  ['image/avif', 'avif'],
  ['image/x-icon', 'ico'],
  ['font/woff', 'woff'],
  ['font/woff2', 'woff2'],
  ['font/ttf', 'ttf'],
  ['font/otf', 'otf'],
];

/** Angular's hashed build outputs: `main-2LMOZB2A.js` (esbuild) or `main.3f2a1b9c8d7e6f5a.js` (webpack). */
const HASHED_ASSET =
  '"[.-](?:[0-9A-Z]{8}|[0-9a-f]{16,})\\.(?:js|mjs|css|map|woff2?|ttf|otf|svg|png|jpe?g|gif|webp|avif|ico)$"';

const LOG_FORMAT = [
  '"msec":$msec',
  '"request_id":"$waggle_request_id"',
  '"remote_addr":"$remote_addr"',
  '"method":"$request_method"',
  '"uri":"$request_uri"',
  '"status":$status',
  '"request_time":$request_time',
  '"upstream":"$proxy_host"',
  '"upstream_addr":"$upstream_addr"',
  '"upstream_response_time":"$upstream_response_time"',
  '"bytes_sent":$bytes_sent',
].join(',');

/** The state with every value checked and made ready to print. */
interface Checked {
  paths: NginxPaths;
  http: number;
  https: number | undefined;
  /** `addr:` for listen lines, or '' for all IPv4 addresses. */
  listenHost: string;
  probeHost: string;
  allow: string[];
  serverName: string | undefined;
  site: string | undefined;
  apis: { name: string; servers: string[] }[];
  tls: { certificate: string; key: string; hsts: boolean } | undefined;
  accessLog: string;
  acmeRoot: string;
}

function check(state: NginxState): Checked {
  const prefix = safePath('router.prefix', state.prefix);
  const http = safePort('router.listen.http', state.listen.http);
  const https =
    state.listen.https === undefined ? undefined : safePort('router.listen.https', state.listen.https);
  if (https === http) throw new BadInputError(`router.listen.https: ${https} is also the HTTP port`);
  if (state.tls && https === undefined)
    throw new BadInputError('router.listen.https: needed with router.tls (the port HTTPS listens on)');
  if (!state.tls && https !== undefined)
    throw new BadInputError('router.tls: needed with router.listen.https (the certificate and key)');

  const address = state.listen.address;
  const bound =
    address === undefined || address === '0.0.0.0'
      ? undefined
      : safeListenAddress('router.listen.address', address);
  const probeHost = bound === undefined ? '127.0.0.1' : bound === '[::]' ? '[::1]' : bound;
  const allow = ['127.0.0.1', '::1'];
  const probeIp = probeHost.replace(/^\[|\]$/g, '');
  if (!allow.includes(probeIp)) allow.push(probeIp);

  const seen = new Set<string>();
  const apis = state.apis.map((api, i) => {
    const where = `router.apis[${i}]`;
    const name = safeName(`${where}.name`, api.name);
    if (seen.has(name)) throw new BadInputError(`${where}.name: "${name}" is named twice`);
    seen.add(name);
    if (api.upstreams.length === 0) throw new BadInputError(`${where}.upstreams: needs at least one server`);
    const servers = api.upstreams.map((server, j) => {
      const at = `${where}.upstreams[${j}]`;
      const host = safeHost(`${at}.address`, server.address);
      const port = safePort(`${at}.port`, server.port);
      const weight =
        server.weight === undefined ? '' : ` weight=${safeWeight(`${at}.weight`, server.weight)}`;
      return `${host}:${port}${weight}`;
    });
    return { name, servers };
  });

  return {
    paths: nginxPaths(prefix),
    http,
    https,
    listenHost: bound === undefined ? '' : `${bound}:`,
    probeHost,
    allow,
    serverName:
      state.serverName === undefined ? undefined : safeServerName('router.serverName', state.serverName),
    site: state.site && safePath('router.site.root', state.site.root),
    apis,
    tls: state.tls && {
      certificate: safePath('router.tls.certificate', state.tls.certificate),
      key: safePath('router.tls.key', state.tls.key),
      hsts: state.tls.hsts === true,
    },
    accessLog: safePath('router.accessLog', state.accessLog),
    acmeRoot:
      state.acmeRoot === undefined ? nginxPaths(prefix).acme : safePath('router.acmeRoot', state.acmeRoot),
  };
}

function headers(hsts: boolean): Lines {
  return [
    'add_header X-Content-Type-Options "nosniff" always;',
    'add_header X-Frame-Options "SAMEORIGIN" always;',
    'add_header Referrer-Policy "strict-origin-when-cross-origin" always;',
    `add_header Content-Security-Policy "frame-ancestors 'self'; base-uri 'self'; object-src 'none'" always;`,
    ...(hsts ? ['add_header Strict-Transport-Security "max-age=31536000" always;'] : []),
  ];
}

/** What the site and the APIs need, in the server that serves them. */
function application(c: Checked, hsts: boolean): Lines {
  const site = c.site
    ? [
        `root ${c.site};`,
        'index index.html;',
        ...block('location /', ['try_files $uri $uri/ /index.html;']),
        ...block('location = /index.html', [...headers(hsts), 'add_header Cache-Control "no-cache" always;']),
        ...block(`location ~ ${HASHED_ASSET}`, [
          ...headers(hsts),
          'add_header Cache-Control "public, max-age=31536000, immutable" always;',
          'try_files $uri =404;',
        ]),
      ]
    : block('location /', ['return 404;']);
  const apis = c.apis.flatMap(({ name }) =>
    block(`location ^~ /api/${name}/`, [
      `proxy_pass http://api_${name}/;`,
      'proxy_http_version 1.1;',
      'proxy_set_header Connection "";',
      'proxy_set_header Host $host;',
      'proxy_set_header X-Forwarded-For $remote_addr;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      `proxy_set_header X-Forwarded-Prefix /api/${name};`,
      'proxy_set_header X-Request-Id $waggle_request_id;',
    ]),
  );
  return [...site, ...apis];
}

function servers(c: Checked, version: string): Lines {
  const name = c.serverName ? [`server_name ${c.serverName};`] : [];
  const httpServer = block('server', [
    `listen ${c.listenHost}${c.http} default_server;`,
    ...name,
    ...headers(false),
    // `return` runs in the rewrite phase, before allow/deny would: the answer comes from a named
    // location reached by try_files, which runs after the access check.
    ...block(`location = ${PROBE_PATH}`, [
      ...c.allow.map((ip) => `allow ${ip};`),
      'deny all;',
      'access_log off;',
      'try_files /.waggle-no-such-file @waggle_config;',
    ]),
    ...block('location @waggle_config', [
      'access_log off;',
      'default_type text/plain;',
      `return 200 "${version}";`,
    ]),
    ...block('location ^~ /.well-known/acme-challenge/', [
      `root ${c.acmeRoot};`,
      'default_type text/plain;',
      'try_files $uri =404;',
    ]),
    ...(c.tls
      ? block('location /', [`return 301 https://$host${c.https === 443 ? '' : `:${c.https}`}$request_uri;`])
      : application(c, false)),
  ]);
  if (!c.tls) return httpServer;
  return [
    ...httpServer,
    '',
    ...block('server', [
      `listen ${c.listenHost}${c.https} ssl http2 default_server;`,
      ...name,
      `ssl_certificate ${c.tls.certificate};`,
      `ssl_certificate_key ${c.tls.key};`,
      'ssl_protocols TLSv1.2 TLSv1.3;',
      'ssl_session_cache shared:waggle_tls:10m;',
      'ssl_session_timeout 1d;',
      'ssl_session_tickets off;',
      ...headers(c.tls.hsts),
      ...application(c, c.tls.hsts),
    ]),
  ];
}

function render(c: Checked, version: string): string {
  const { paths } = c;
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
    (kind) => `${kind}_temp_path ${paths.temp}/${kind};`,
  );
  const upstreams = c.apis.flatMap(({ name, servers }) => [
    ...block(`upstream api_${name}`, [
      ...servers.map((s) => `server ${s};`),
      'keepalive 16;',
      'keepalive_timeout 4s;',
    ]),
    '',
  ]);
  const http = block('http', [
    ...temp,
    '',
    ...block(
      'types',
      MIME_TYPES.map(([type, extensions]) => `${type} ${extensions};`),
    ),
    'default_type application/octet-stream;',
    'charset utf-8;',
    'charset_types text/css text/plain text/javascript application/json application/manifest+json image/svg+xml;',
    'server_tokens off;',
    'sendfile on;',
    'tcp_nopush on;',
    'keepalive_timeout 65s;',
    'gzip on;',
    'gzip_vary on;',
    'gzip_min_length 1024;',
    'gzip_types text/css text/plain text/javascript application/json application/manifest+json image/svg+xml;',
    '',
    ...block('map $http_x_request_id $waggle_request_id', [
      '"~^[A-Za-z0-9._:-]{1,128}$" $http_x_request_id;',
      'default $request_id;',
    ]),
    `log_format waggle escape=json '{${LOG_FORMAT}}';`,
    `access_log ${c.accessLog} waggle;`,
    '',
    ...upstreams,
    ...servers(c, version),
  ]);
  return [
    `# Rendered by waggle (version ${version}); the next apply overwrites any change made here.`,
    'worker_processes auto;',
    `pid ${paths.pid};`,
    `error_log ${paths.errorLog} notice;`,
    '',
    ...block('events', ['worker_connections 1024;']),
    '',
    ...http,
    '',
  ].join('\n');
}

/** Renders the state, refusing (BadInputError) any value that is not plainly what it should be. */
export function renderNginxConfig(state: NginxState): RenderedNginxConfig {
  const checked = check(state);
  const version = createHash('sha256').update(render(checked, '')).digest('hex').slice(0, 16);
  return {
    text: render(checked, version),
    version,
    paths: checked.paths,
    probeUrl: `http://${checked.probeHost}:${checked.http}${PROBE_PATH}`,
    folders: [...new Set([checked.paths.logs, checked.paths.temp, posix.dirname(checked.accessLog)])],
  };
}
