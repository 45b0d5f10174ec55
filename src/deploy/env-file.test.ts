import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envFileText } from './env-file.js';

const scratch = mkdtempSync(join(tmpdir(), 'waggle-env-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;
const folder = () => {
  const path = join(scratch, String(folders++));
  mkdirSync(path);
  return path;
};

/** Everything Node itself reads from the file, in a process whose environment is otherwise empty. */
function readByNode(text: string): Record<string, string> {
  const file = join(folder(), '.env');
  writeFileSync(file, text);
  const out = execFileSync(
    process.execPath,
    [`--env-file=${file}`, '-e', 'console.log(JSON.stringify(process.env))'],
    { encoding: 'utf8', env: {} },
  );
  return JSON.parse(out);
}

/**
 * What systemd's own parser reads from the file. A unit's EnvironmentFile= is read by PID 1
 * (load_env_file), which this machine does not run; systemd-tmpfiles does run here, and with
 * --root it reads the root's etc/os-release through the same parser (parse_env_file and
 * load_env_file share parse_env_file_internal in systemd's src/basic/env-file.c and differ only in
 * where the values go), handing the values of ID, VERSION_ID, BUILD_ID and VARIANT_ID
 * to its %o, %w, %B and %W specifiers, which an `f` line writes into a file byte for byte. So the
 * file under test becomes os-release with its names swapped for those four, four values a time.
 * (The environment.d generator reads the grammar too, but also expands $NAME, which
 * EnvironmentFile= does not.)
 */
const SLOTS = [
  ['ID', '%o'],
  ['VERSION_ID', '%w'],
  ['BUILD_ID', '%B'],
  ['VARIANT_ID', '%W'],
] as const;

function readBySystemd(values: Readonly<Record<string, string>>): Record<string, string> {
  const entries = Object.entries(values);
  const read: Record<string, string> = {};
  for (let start = 0; start < entries.length; start += SLOTS.length) {
    const batch = entries.slice(start, start + SLOTS.length);
    const slots = readOsRelease(
      envFileText(Object.fromEntries(batch.map(([, value], i) => [SLOTS[i]?.[0], value]))),
      batch.length,
    );
    for (const [i, [name]] of batch.entries()) read[name] = slots[i] as string;
  }
  return read;
}

/** The values systemd reads for the first `count` slot names from an os-release text. */
function readOsRelease(text: string, count: number): string[] {
  const root = folder();
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'os-release'), text);
  const slots = SLOTS.slice(0, count);
  const lines = slots.map(([, specifier], i) => `f /slot-${i} - - - - ${specifier}\n`).join('');
  writeFileSync(join(root, 'tmpfiles.conf'), lines);
  execFileSync('systemd-tmpfiles', [`--root=${root}`, '--create', join(root, 'tmpfiles.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return slots.map((_, i) => readFileSync(join(root, `slot-${i}`), 'utf8'));
}

const TRICKY = {
  PLAIN: 'mongodb://10.77.0.4:27017/hivenue',
  DOLLARS: '$HOME and ${X} and $(id) and 5$',
  HASH: '# not a comment',
  SINGLE: "it's",
  DOUBLE: 'say "hi"',
  TICKS: 'tick`s `id`',
  SINGLE_AND_MORE: "it's `id`, $HOME # and = all",
  NEWLINES: 'line one\nline two\n',
  // A line break followed by what looks like another variable stays in the value.
  SMUGGLED: "one\nID='smuggled'",
  SMUGGLED_TOO: 'one\nID="smuggled"\nVERSION_ID=x',
  BACKSLASH: 'C:\\new\\table\\',
  EQUALS: 'a=b=c',
  EMPTY: '',
  SPACES: '  padded\tand tabbed  ',
  UNICODE: 'ünïcødé 猫 😀 é',
};

describe('env files', () => {
  it('carries every value exactly as Node reads it back', () => {
    expect(readByNode(envFileText(TRICKY))).toEqual(TRICKY);
  });

  it("carries every value exactly as systemd's parser reads it back", () => {
    expect(readBySystemd(TRICKY)).toEqual(TRICKY);
  });

  it('refuses what the two readers would not read alike, naming the variable and never the value', () => {
    const refused = {
      BOTH_QUOTES: 'a\'b"c',
      QUOTE_BACKSLASH: "it's C:\\x",
      QUOTE_NEWLINE_ESCAPE: "it's \\n",
      RETURN: 'a\r\nb',
      NUL: 'a\0b',
      SURROGATE: 'half \uD83D',
    };
    for (const [name, value] of Object.entries(refused)) {
      let error: unknown;
      try {
        envFileText({ [name]: value });
      } catch (thrown) {
        error = thrown;
      }
      expect(error, name).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toContain(`the value of ${name} `);
      expect(message).toContain("systemd's EnvironmentFile=");
      expect(message).not.toContain(value);
    }
    // What the refusal and the quoting protect against: the readers really disagree outside
    // the common part (here, a value quoted with backticks, or a backslash in double quotes).
    const outside = 'ID=`it\'s`\nVERSION_ID="it\'s \\n"\n';
    expect(readByNode(outside)).toEqual({ ID: "it's", VERSION_ID: "it's \n" });
    expect(readOsRelease(outside, 2)).toEqual(["`it's`", "it's \\n"]);
    expect(() => envFileText({ 'BAD NAME': 'x' })).toThrow(/not a variable name: BAD NAME/);
  });

  it('leaves the port and NODE_ENV to the deploy', () => {
    expect(() => envFileText({ PORT: '1' })).toThrow(/PORT is set by the deploy/);
    expect(() => envFileText({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV is set by the deploy/);
  });

  it('sorts the variables, one a line', () => {
    expect(envFileText({ B: '2', A: '1' })).toBe("A='1'\nB='2'\n");
  });
});
