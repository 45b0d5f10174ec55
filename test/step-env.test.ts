/**
 * Pushed code sees only what its package asks for: a suite that prints every variable it can see
 * (plainly and base64-encoded) shows none of the server's own secrets, none another package asked
 * for, and the ones it asked for only as [REDACTED], in logs, test records and the database.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { git } from '../src/workspace/git.js';
import { deliver, pushPayload } from './helpers/github.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const WEBHOOK_SECRET = 'whsec-server-own-4d1f9a';
const SECRETS = {
  LIB_API_KEY: 'sk_live_lib-asked-for-this-7c2e',
  HOOK_SECRET: 'hook-signing-key-not-for-steps-91b3',
  DIGITALOCEAN_ACCESS_TOKEN: 'dop_v1_server-credential-5e8d',
  WAGGLE_TOKEN: 'wgl_server-api-token-2a6c',
};

// Prints everything the suite can see, then writes JUnit with a case named after API_KEY.
const DUMP = `
import { mkdirSync, writeFileSync } from 'node:fs';
const pkg = process.argv[2];
const seen = JSON.stringify(process.env);
console.log('ENV ' + pkg + ' ' + seen);
console.log('B64 ' + pkg + ' ' + Buffer.from(seen).toString('base64'));
mkdirSync('reports', { recursive: true });
writeFileSync('reports/junit.xml', '<testsuites><testsuite name="env of ' + pkg + '"><testcase classname="env" name="sees ' + (process.env.API_KEY ?? 'no key') + '" time="0.001"/></testsuite></testsuites>');
`;

describe('what a step can see', () => {
  let repo: string;
  let server: TestServer;
  let runId: number;
  const log = async (step: string) =>
    (
      await server.store.logs.ofStep(
        (await server.store.steps.ofRun(runId)).find((s) => s.key === step)?.id as number,
      )
    )
      .map((line) => line.line)
      .join('\n');

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mini'));
    writeFileSync(join(repo, 'dump-env.mjs'), DUMP);
    writeFileSync(
      join(repo, 'waggle.yml'),
      [
        'name: fx',
        'packages:',
        '  lib:',
        '    path: packages/lib',
        '    env: { API_KEY: "${{ secrets.LIB_API_KEY }}", MODE: "${{ vars.LIB_MODE }}" }',
        '    test: { run: [node, ../../dump-env.mjs, lib] }',
        '  app: { path: packages/app, test: { run: [node, ../../dump-env.mjs, app] } }',
        'contacts:',
        '  - { webhook: { url: "http://127.0.0.1:9/never", secret: "${{ secrets.HOOK_SECRET }}" }, on: [deploy.failed] }',
        '',
      ].join('\n'),
    );
    commitAll(repo, 'suites that print their environment');
    server = await startTestServer(repo, WEBHOOK_SECRET, {
      env: { ...process.env, ...SECRETS, WAGGLE_WEBHOOK_SECRET: WEBHOOK_SECRET, LIB_MODE: 'fast' },
    });
    const { body } = await deliver(
      server.url,
      WEBHOOK_SECRET,
      pushPayload('main', git(repo, ['rev-parse', 'HEAD'])),
    );
    runId = body.run as number;
    await vi.waitFor(async () => expect((await server.store.runs.get(runId))?.status).toBe('passed'), {
      timeout: 120_000,
      interval: 200,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives a package the variables it names, its secrets redacted, and facts about the run', async () => {
    const seen = JSON.parse((await log('test:lib')).match(/^ENV lib (.*)$/m)?.[1] as string);
    expect(seen).toMatchObject({
      API_KEY: '[REDACTED]',
      MODE: 'fast',
      CI: 'true',
      WAGGLE_RUN: String(runId),
    });
    expect(seen.WAGGLE_COMMIT).toBe(git(repo, ['rev-parse', 'HEAD']));
    expect(seen.HOME).toContain(join('workspaces', `${runId}.home`));
    expect(seen.PATH.split(':')[0]).toMatch(/packages\/lib\/node_modules\/\.bin$/);
  });

  it("shows no package the server's secrets, nor another package's", async () => {
    const app = JSON.parse((await log('test:app')).match(/^ENV app (.*)$/m)?.[1] as string);
    expect(app.API_KEY).toBeUndefined();
    for (const seen of [app, JSON.parse((await log('test:lib')).match(/^ENV lib (.*)$/m)?.[1] as string)]) {
      for (const name of [...Object.keys(SECRETS), 'WAGGLE_WEBHOOK_SECRET', 'LIB_MODE'])
        expect(seen[name], name).toBeUndefined();
    }
  });

  it('keeps every secret value out of logs, test records and the database files, base64 included', async () => {
    const cases = await server.store.tests.ofRun(runId, 'lib');
    expect(cases.map((c) => c.name)).toEqual(['sees [REDACTED]']);
    const decoded = (await log('test:lib')).match(/^B64 lib (.*)$/m)?.[1] as string;
    expect(decoded).toContain('[REDACTED]');
    const home = server.home;
    const database = readdirSync(home)
      .filter((file) => file.startsWith('waggle.db'))
      .map((file) => readFileSync(join(home, file)).toString('latin1'))
      .join('');
    expect(database).toContain('sees [REDACTED]');
    for (const value of [...Object.values(SECRETS), WEBHOOK_SECRET]) {
      expect(database.includes(value), value).toBe(false);
      expect(
        database.includes(Buffer.from(value).toString('base64').slice(0, 16)),
        `${value} in base64`,
      ).toBe(false);
    }
  });
});
