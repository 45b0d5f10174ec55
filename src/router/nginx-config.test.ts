import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../errors.js';
import { type NginxState, renderNginxConfig } from './nginx-config.js';

const billing = { name: 'billing', upstreams: [{ address: '10.0.0.7', port: 4003 }] };
const certificates = {
  certificate: '/etc/letsencrypt/live/h/fullchain.pem',
  key: '/etc/letsencrypt/live/h/privkey.pem',
};
const full: NginxState = {
  prefix: '/srv/waggle/nginx',
  listen: { http: 8080, https: 8443 },
  serverName: 'hivenue.example',
  site: { root: '/srv/waggle/hivenue/web/current' },
  apis: [
    billing,
    {
      name: 'ai-model',
      upstreams: [
        { address: 'api-1.internal', port: 4001, weight: 95 },
        { address: '::1', port: 4001, weight: 5 },
      ],
    },
  ],
  tls: { ...certificates, hsts: true },
  accessLog: '/var/log/waggle/access.log',
};
const plain: NginxState = { ...full, listen: { http: 8080 }, tls: undefined };

/** The lines of the block that starts with `head`, up to its closing brace. */
function section(text: string, head: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === `${head} {`);
  if (start < 0) throw new Error(`no ${head} in\n${text}`);
  const indent = lines[start]?.search(/\S/) ?? 0;
  const end = lines.findIndex((line, i) => i > start && line === `${' '.repeat(indent)}}`);
  return lines.slice(start, end + 1).join('\n');
}

/** The servers, in order (HTTP first). */
function serverBlocks(text: string): string[] {
  return text.split(/\n {4}server \{/).slice(1);
}

describe('renderNginxConfig', () => {
  it('gives nginx its own pid, logs and temp paths under the prefix', () => {
    const { text, paths, folders } = renderNginxConfig(plain);
    expect(text).toContain('\npid /srv/waggle/nginx/logs/nginx.pid;\n');
    expect(text).toContain('\nerror_log /srv/waggle/nginx/logs/error.log notice;\n');
    for (const kind of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
      expect(text).toContain(`    ${kind}_temp_path /srv/waggle/nginx/temp/${kind};\n`);
    expect(text).toMatch(/\nevents \{\n {4}worker_connections \d+;\n\}/);
    expect(section(text, 'types')).toContain('text/javascript js mjs;');
    expect(section(text, 'types')).toContain('font/woff2 woff2;');
    expect(text).not.toContain('include');
    expect(text).toContain('    server_tokens off;\n');
    expect(paths.conf).toBe('/srv/waggle/nginx/nginx.conf');
    expect(folders).toEqual(['/srv/waggle/nginx/logs', '/srv/waggle/nginx/temp', '/var/log/waggle']);
  });

  it('logs JSON, with the upstream and its timing as strings', () => {
    const { text } = renderNginxConfig(plain);
    const format = text.match(/log_format waggle escape=json '(.*)';/)?.[1] ?? '';
    expect(format).toContain('"upstream_addr":"$upstream_addr"');
    expect(format).toContain('"upstream_response_time":"$upstream_response_time"');
    expect(format).toContain('"status":$status');
    expect(format).toContain('"msec":$msec');
    expect(format).toContain('"request_id":"$waggle_request_id"');
    // What nginx prints for the variables is valid JSON.
    const sample = format.replace(/"\$[a-z_]+"/g, '"x"').replace(/\$[a-z_]+/g, '1');
    expect(() => JSON.parse(sample)).not.toThrow();
    expect(text).toContain('    access_log /var/log/waggle/access.log waggle;\n');
  });

  it('proxies /api/<module>/ to a named upstream, stripping the prefix', () => {
    const { text } = renderNginxConfig(plain);
    expect(section(text, 'upstream api_billing')).toBe(
      [
        '    upstream api_billing {',
        '        server 10.0.0.7:4003;',
        '        keepalive 16;',
        // Shorter than Node's keepAliveTimeout (5 s): nginx, not the service, closes idle connections.
        '        keepalive_timeout 4s;',
        '    }',
      ].join('\n'),
    );
    const ai = section(text, 'upstream api_ai-model');
    expect(ai).toContain('server api-1.internal:4001 weight=95;');
    expect(ai).toContain('server [::1]:4001 weight=5;');
    const billing = section(text, 'location ^~ /api/billing/');
    for (const line of [
      'proxy_pass http://api_billing/;',
      'proxy_http_version 1.1;',
      'proxy_set_header Connection "";',
      'proxy_set_header Host $host;',
      'proxy_set_header X-Forwarded-For $remote_addr;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      'proxy_set_header X-Forwarded-Prefix /api/billing;',
      'proxy_set_header X-Request-Id $waggle_request_id;',
    ])
      expect(billing).toContain(`\n            ${line}\n`);
  });

  it('serves the site with an SPA fallback, cached hashed assets and an uncached index.html', () => {
    const { text } = renderNginxConfig(plain);
    const [server = ''] = serverBlocks(text);
    expect(server).toContain('root /srv/waggle/hivenue/web/current;');
    expect(section(text, 'location /')).toContain('try_files $uri $uri/ /index.html;');
    expect(section(text, 'location = /index.html')).toContain('add_header Cache-Control "no-cache" always;');
    const assets = text.split('\n').find((line) => line.includes('location ~ ')) ?? '';
    const pattern = new RegExp(assets.match(/location ~ "(.*)" \{/)?.[1] ?? '^$');
    for (const name of [
      '/main-2LMOZB2A.js',
      '/chunk-ABCD1234.js',
      '/styles.3f2a1b9c8d7e6f5a.css',
      '/media/font-XYZ12345.woff2',
    ])
      expect(name).toMatch(pattern);
    for (const name of [
      '/index.html',
      '/favicon.ico',
      '/polyfills.js',
      '/assets/logo.png',
      '/main-component.js',
    ])
      expect(name).not.toMatch(pattern);
  });

  it('repeats the security headers wherever a location adds its own', () => {
    const { text } = renderNginxConfig(plain);
    const [server = ''] = serverBlocks(text);
    for (const block of [server, section(text, 'location = /index.html')]) {
      expect(block).toContain('add_header X-Content-Type-Options "nosniff" always;');
      expect(block).toContain('add_header X-Frame-Options "SAMEORIGIN" always;');
      expect(block).toContain('add_header Referrer-Policy "strict-origin-when-cross-origin" always;');
      expect(block).toContain("frame-ancestors 'self'");
    }
    expect(text).not.toContain('Strict-Transport-Security');
    expect(text).not.toContain('ssl');
  });

  it('with TLS: HTTP redirects to HTTPS but for ACME challenges; HSTS only when asked', () => {
    const { text } = renderNginxConfig(full);
    const [http = '', https = ''] = serverBlocks(text);
    expect(http).toContain('listen 8080 default_server;');
    expect(http).toContain('return 301 https://$host:8443$request_uri;');
    expect(http).toContain('location ^~ /.well-known/acme-challenge/');
    expect(http).toContain('root /srv/waggle/nginx/acme;');
    expect(http).not.toContain('proxy_pass');
    expect(http).not.toContain('Strict-Transport-Security');
    expect(https).toContain('listen 8443 ssl http2 default_server;');
    expect(https).toContain('server_name hivenue.example;');
    expect(https).toContain('ssl_certificate /etc/letsencrypt/live/h/fullchain.pem;');
    expect(https).toContain('ssl_certificate_key /etc/letsencrypt/live/h/privkey.pem;');
    expect(https).toContain('add_header Strict-Transport-Security "max-age=31536000" always;');
    expect(https).toContain('proxy_pass http://api_billing/;');
    expect(https).toContain('try_files $uri $uri/ /index.html;');

    const on443 = renderNginxConfig({
      ...full,
      listen: { http: 80, https: 443 },
      tls: { ...certificates, hsts: false },
      acmeRoot: '/var/www/acme',
    }).text;
    expect(on443).toContain('return 301 https://$host$request_uri;');
    expect(on443).toContain('root /var/www/acme;');
    expect(on443).not.toContain('Strict-Transport-Security');
  });

  it('answers its version on loopback only, and the version follows the content', () => {
    const rendered = renderNginxConfig(plain);
    expect(rendered.version).toMatch(/^[0-9a-f]{16}$/);
    expect(rendered.text).toContain(`return 200 "${rendered.version}";`);
    const probe = section(rendered.text, 'location = /__waggle/config');
    expect(probe).toContain('allow 127.0.0.1;');
    expect(probe).toContain('allow ::1;');
    expect(probe).toContain('deny all;');
    expect(rendered.probeUrl).toBe('http://127.0.0.1:8080/__waggle/config');
    expect(renderNginxConfig(plain)).toEqual(rendered);
    const moved = { ...plain, apis: [{ name: 'billing', upstreams: [{ address: '10.0.0.8', port: 4003 }] }] };
    expect(renderNginxConfig(moved).version).not.toBe(rendered.version);

    const bound = renderNginxConfig({ ...plain, listen: { http: 8080, address: '10.0.0.5' } });
    expect(bound.text).toContain('listen 10.0.0.5:8080 default_server;');
    expect(section(bound.text, 'location = /__waggle/config')).toContain('allow 10.0.0.5;');
    expect(bound.probeUrl).toBe('http://10.0.0.5:8080/__waggle/config');
    const v6 = renderNginxConfig({ ...plain, listen: { http: 8080, address: '::' } });
    expect(v6.text).toContain('listen [::]:8080 default_server;');
    expect(v6.probeUrl).toBe('http://[::1]:8080/__waggle/config');
  });

  it('without a site, answers 404 outside the APIs', () => {
    const { text } = renderNginxConfig({ ...plain, site: undefined });
    expect(section(text, 'location /')).toContain('return 404;');
    expect(text).not.toContain('index.html');
  });

  describe('refuses any value that could become nginx syntax', () => {
    const api = (address: string, port = 4003, name = 'billing') => ({
      ...plain,
      apis: [{ name, upstreams: [{ address, port }] }],
    });
    const cases: [string, NginxState, RegExp][] = [
      ['prefix with a space', { ...plain, prefix: '/srv/a b' }, /^router\.prefix: /],
      ['relative prefix', { ...plain, prefix: 'srv/nginx' }, /^router\.prefix: /],
      ['prefix with ..', { ...plain, prefix: '/srv/../etc' }, /^router\.prefix: /],
      [
        'site root with ;',
        { ...plain, site: { root: '/srv/web; include /etc/passwd' } },
        /^router\.site\.root: /,
      ],
      ['site root with $', { ...plain, site: { root: '/srv/$host' } }, /^router\.site\.root: /],
      ['site root with a brace', { ...plain, site: { root: '/srv/web}' } }, /^router\.site\.root: /],
      ['access log with a quote', { ...plain, accessLog: '/var/log/"a' }, /^router\.accessLog: /],
      ['access log with a newline', { ...plain, accessLog: '/var/log/a\nuser root' }, /^router\.accessLog: /],
      ['acme root with #', { ...plain, acmeRoot: '/var/www#x' }, /^router\.acmeRoot: /],
      [
        'certificate with a space',
        { ...full, tls: { certificate: '/a b.pem', key: '/k.pem' } },
        /^router\.tls\.certificate: /,
      ],
      ['key with ;', { ...full, tls: { certificate: '/a.pem', key: '/k.pem;' } }, /^router\.tls\.key: /],
      ['module name with ;', api('127.0.0.1', 4003, 'billing;'), /^router\.apis\[0\]\.name: /],
      ['module name in capitals', api('127.0.0.1', 4003, 'Billing'), /^router\.apis\[0\]\.name: /],
      ['module name with /', api('127.0.0.1', 4003, 'a/b'), /^router\.apis\[0\]\.name: /],
      [
        'address with a directive',
        api('10.0.0.1; server evil:80'),
        /^router\.apis\[0\]\.upstreams\[0\]\.address: /,
      ],
      ['address with a brace', api('10.0.0.1}'), /upstreams\[0\]\.address: /],
      ['address as a URL', api('http://10.0.0.1'), /upstreams\[0\]\.address: /],
      ['IPv6 with a zone', api('fe80::1%eth0'), /upstreams\[0\]\.address: /],
      ['bracketed IPv6', api('[::1]'), /upstreams\[0\]\.address: /],
      ['port 0', api('10.0.0.1', 0), /upstreams\[0\]\.port: /],
      ['port 65536', api('10.0.0.1', 65536), /upstreams\[0\]\.port: /],
      ['fractional port', api('10.0.0.1', 1.5), /upstreams\[0\]\.port: /],
      ['listen port NaN', { ...plain, listen: { http: Number.NaN } }, /^router\.listen\.http: /],
      [
        'listen on a hostname',
        { ...plain, listen: { http: 80, address: 'localhost' } },
        /^router\.listen\.address: /,
      ],
      [
        'listen address with ssl',
        { ...plain, listen: { http: 80, address: '1.2.3.4 ssl' } },
        /listen\.address: /,
      ],
      ['server name with ;', { ...plain, serverName: 'a.example; return 200' }, /^router\.serverName: /],
      ['server name with a space', { ...plain, serverName: 'a.example b.example' }, /^router\.serverName: /],
      [
        'weight 0',
        { ...plain, apis: [{ name: 'b', upstreams: [{ address: '10.0.0.1', port: 1, weight: 0 }] }] },
        /upstreams\[0\]\.weight: /,
      ],
      [
        'a module twice',
        { ...plain, apis: [billing, billing] },
        /^router\.apis\[1\]\.name: "billing" is named twice/,
      ],
      [
        'a module without servers',
        { ...plain, apis: [{ name: 'b', upstreams: [] }] },
        /apis\[0\]\.upstreams: /,
      ],
      ['TLS without an HTTPS port', { ...full, listen: { http: 80 } }, /^router\.listen\.https: needed/],
      ['an HTTPS port without TLS', { ...plain, listen: { http: 80, https: 443 } }, /^router\.tls: needed/],
      ['HTTP and HTTPS on one port', { ...full, listen: { http: 80, https: 80 } }, /also the HTTP port/],
    ];
    it.each(cases)('%s', (_, state, where) => {
      let error: unknown;
      try {
        renderNginxConfig(state);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(BadInputError);
      expect((error as Error).message).toMatch(where);
    });
  });
});

describe('nginx -t accepts what is rendered', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-nginx-config-'));
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'site'));
    writeFileSync(join(dir, 'site', 'index.html'), '<!doctype html>\n');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const upstreams = [
    { name: 'billing', upstreams: [{ address: '127.0.0.1', port: 4003 }] },
    {
      name: 'ai-model',
      upstreams: [
        { address: 'localhost', port: 4001, weight: 3 },
        { address: '::1', port: 4001 },
      ],
    },
  ];
  const shapes: [string, (dir: string) => NginxState][] = [
    [
      'site only',
      (d) => ({
        prefix: `${d}/a`,
        listen: { http: 18080 },
        site: { root: `${d}/site` },
        apis: [],
        accessLog: `${d}/a/logs/access.log`,
      }),
    ],
    [
      'APIs only',
      (d) => ({
        prefix: `${d}/b`,
        listen: { http: 18080, address: '127.0.0.1' },
        apis: upstreams,
        accessLog: `${d}/b/access.log`,
      }),
    ],
    [
      'site and APIs',
      (d) => ({
        prefix: `${d}/c`,
        listen: { http: 18080 },
        serverName: 'hivenue.example',
        site: { root: `${d}/site` },
        apis: upstreams,
        accessLog: `${d}/logs/access.log`,
      }),
    ],
    [
      'TLS',
      (d) => ({
        prefix: `${d}/d`,
        listen: { http: 18080, https: 18443, address: '::1' },
        serverName: '*.hivenue.example',
        site: { root: `${d}/site` },
        apis: upstreams,
        tls: { certificate: `${d}/cert.pem`, key: `${d}/key.pem`, hsts: true },
        accessLog: `${d}/d/logs/access.log`,
      }),
    ],
  ];
  it.each(shapes)('%s', (_, shape) => {
    const { text, paths, folders } = renderNginxConfig(shape(dir));
    for (const folder of folders) mkdirSync(folder, { recursive: true });
    writeFileSync(paths.conf, text);
    const test = spawnSync(
      '/usr/sbin/nginx',
      ['-t', '-q', '-p', `${paths.prefix}/`, '-c', paths.conf, '-e', paths.errorLog],
      { encoding: 'utf8' },
    );
    expect(test.stderr).toBe('');
    expect(test.status).toBe(0);
  });
});
