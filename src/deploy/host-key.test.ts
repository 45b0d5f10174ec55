import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkHostKey, fingerprint, matchesPatterns } from './host-key.js';

describe('host keys', () => {
  let dir: string;
  let blob: Buffer;
  let other: Buffer;
  let printed: string;
  let line: string;

  const keyPair = (name: string) => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, name)]);
    const pub = readFileSync(join(dir, `${name}.pub`), 'utf8').trim();
    return { pub, blob: Buffer.from(pub.split(' ')[1] as string, 'base64') };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-hostkey-'));
    const host = keyPair('host');
    blob = host.blob;
    line = host.pub.split(' ').slice(0, 2).join(' ');
    other = keyPair('other').blob;
    printed = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'host.pub')], { encoding: 'utf8' }).split(
      ' ',
    )[1] as string;
  });

  const policy = (extra: object = {}) => ({
    name: 'web',
    address: '10.77.0.2',
    port: 22,
    knownHostsFiles: [join(dir, 'known_hosts')],
    ...extra,
  });

  it('prints fingerprints as ssh-keygen does', () => {
    expect(fingerprint(blob)).toBe(printed);
  });

  it('accepts the pinned key only, and says how to check a changed one', () => {
    expect(() => checkHostKey(policy({ hostKey: printed }), blob)).not.toThrow();
    expect(() => checkHostKey(policy({ hostKey: printed }), other)).toThrow(
      /not the pinned .*refusing to connect/,
    );
  });

  it('refuses an unknown key, saying how to pin it', () => {
    writeFileSync(join(dir, 'known_hosts'), '');
    expect(() => checkHostKey(policy(), blob)).toThrow(
      `pin it with hostKey: "${printed}" on that host in waggle.yml`,
    );
  });

  it('accepts a key known_hosts lists for the address and port, plain or hashed', () => {
    writeFileSync(join(dir, 'known_hosts'), `# comment\nother.example ${line}\n10.77.0.2 ${line}\n`);
    expect(() => checkHostKey(policy(), blob)).not.toThrow();
    expect(() => checkHostKey(policy({ port: 2222 }), blob)).toThrow(/not known/);
    writeFileSync(join(dir, 'known_hosts'), `[10.77.0.2]:2222 ${line}\n`);
    expect(() => checkHostKey(policy({ port: 2222 }), blob)).not.toThrow();

    writeFileSync(join(dir, 'known_hosts'), `10.77.0.2 ${line}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', join(dir, 'known_hosts')], { stdio: 'ignore' });
    expect(readFileSync(join(dir, 'known_hosts'), 'utf8')).toMatch(/^\|1\|/);
    expect(() => checkHostKey(policy(), blob)).not.toThrow();
    expect(() => checkHostKey(policy(), other)).toThrow(/another key for it: it changed/);
  });

  it('refuses a key marked @revoked', () => {
    writeFileSync(join(dir, 'known_hosts'), `10.77.0.2 ${line}\n@revoked * ${line}\n`);
    expect(() => checkHostKey(policy(), blob)).toThrow(/@revoked/);
  });

  it('matches host patterns with wildcards and negation', () => {
    expect(matchesPatterns('*.example,!bad.example', 'web.example')).toBe(true);
    expect(matchesPatterns('*.example,!bad.example', 'bad.example')).toBe(false);
    expect(matchesPatterns('10.77.0.?', '10.77.0.2')).toBe(true);
    expect(matchesPatterns('10.77.0.?', '10.77.0.22')).toBe(false);
  });
});
