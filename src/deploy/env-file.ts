/**
 * A service's environment on its host: `shared/.env`, mode 0600, so the values live in no release,
 * no artifact, no command line and no process manager's saved state. Two readers take the same
 * file: Node itself under pm2 (`node --env-file`), and systemd under a unit (`EnvironmentFile=`).
 * Their grammars differ, so the file is written only in the part where both read the same thing:
 *
 * - single quotes: both take everything up to the next `'` as it is (line breaks, backslashes,
 *   `"`, backticks, `$`, `#`, `=`);
 * - double quotes, for a value holding `'`: Node turns `\n` into a line break and keeps other
 *   backslashes, systemd unescapes `\"`, `\\`, `` \` ``, `\$` and keeps other backslashes; with no
 *   backslash and no `"` inside, both take the rest as it is;
 * - backticks, which Node takes as quotes, are plain characters to systemd: never used;
 * - Node drops a carriage return inside quotes, systemd keeps it; systemd skips a line that is
 *   not UTF-8; no environment holds a NUL.
 *
 * A value outside that common part is refused by its name; the value itself is never shown.
 * src/deploy/env-file.test.ts reads the file back through both real readers.
 */
import { BadInputError } from '../errors.js';

/**
 * Set by the deploy itself (the service's port, production). Node lets the process's own
 * variables win over the file, systemd lets the file win over `Environment=`: in the file they
 * would mean one thing under pm2 and another under systemd.
 */
const SET_BY_DEPLOY = new Set(['PORT', 'NODE_ENV']);

/** Half of a UTF-16 pair without the other half: no UTF-8 can carry it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The file's text: one `NAME=quoted value` a line, sorted by name. */
export function envFileText(variables: Readonly<Record<string, string>>): string {
  return Object.entries(variables)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${checkedName(name)}=${quoted(name, value)}\n`)
    .join('');
}

function quoted(name: string, value: string): string {
  const refuse = (why: string) =>
    new BadInputError(
      `the value of ${name} ${why}: node --env-file and systemd's EnvironmentFile= would not read it alike`,
    );
  if (/[\0\r]/.test(value)) throw refuse('holds a NUL or a carriage return');
  if (LONE_SURROGATE.test(value)) throw refuse('is not valid Unicode (a lone surrogate)');
  if (!value.includes("'")) return `'${value}'`;
  if (!/["\\]/.test(value)) return `"${value}"`;
  throw refuse(`holds ' together with " or a backslash`);
}

function checkedName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new BadInputError(`not a variable name: ${name}`);
  if (SET_BY_DEPLOY.has(name))
    throw new BadInputError(
      `${name} is set by the deploy (the service's port, production): it cannot be one of the service's variables`,
    );
  return name;
}
