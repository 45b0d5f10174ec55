/**
 * A service's environment on its host: `shared/.env`, mode 0600, read by Node itself when the
 * service starts (`node --env-file`), so the values live in no release, no artifact, no command
 * line and no process manager's saved state.
 */
import { BadInputError } from '../errors.js';

/**
 * The file's text. Each value is quoted the way Node's env-file reader takes literally: single
 * quotes, else backticks (values holding ' ), else double quotes (values holding ' and ` but no
 * backslash or line break). A value that fits none cannot be carried and is refused by name.
 */
export function envFileText(variables: Readonly<Record<string, string>>): string {
  return Object.entries(variables)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${checkedName(name)}=${quoted(name, value)}\n`)
    .join('');
}

function quoted(name: string, value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('`')) return `\`${value}\``;
  if (!value.includes('"') && !/[\\\n\r]/.test(value)) return `"${value}"`;
  throw new BadInputError(
    `the value of ${name} holds ', \` and " (or a backslash or line break) at once: an env file cannot carry it`,
  );
}

function checkedName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new BadInputError(`not a variable name: ${name}`);
  return name;
}
