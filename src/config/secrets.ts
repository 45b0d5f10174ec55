/**
 * `${{ secrets.NAME }}` and `${{ vars.NAME }}` in waggle.yml, read from the environment variable
 * NAME when used. Secret values are handed to the redactor so no output ever shows them.
 * waggle's own variables (WAGGLE_WEBHOOK_SECRET, WAGGLE_TOKEN, ...) are never readable this way:
 * the config comes from a pushed commit.
 */
import { BadInputError } from '../errors.js';
import { type ConfigIssue, formatPath } from './errors.js';

const REFERENCE = /\$\{\{\s*(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Prefix of the variables waggle sets itself or holds as its own secrets. */
export const RESERVED_PREFIX = 'WAGGLE_';
export const RESERVED_REFERENCE_MESSAGE = "waggle's own variables (WAGGLE_*) cannot be referenced";

export class MissingVariableError extends BadInputError {
  constructor(
    readonly variable: string,
    reason = `environment variable ${variable} is not set`,
  ) {
    super(reason);
    this.name = 'MissingVariableError';
  }
}

export function interpolate(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(REFERENCE, (_, _kind: string, variable: string) => {
    if (variable.startsWith(RESERVED_PREFIX))
      throw new MissingVariableError(variable, `${variable}: ${RESERVED_REFERENCE_MESSAGE}`);
    const value = env[variable];
    if (value === undefined) throw new MissingVariableError(variable);
    return value;
  });
}

export interface Reference {
  kind: 'secrets' | 'vars';
  name: string;
}

/** Every `${{ secrets.NAME }}` and `${{ vars.NAME }}` anywhere in the config. */
export function references(config: unknown): Reference[] {
  const found: Reference[] = [];
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(REFERENCE))
        found.push({ kind: match[1] as Reference['kind'], name: match[2] as string });
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(config);
  return found;
}

/** Each string anywhere in the raw config that references a WAGGLE_* variable, by its path. */
export function reservedReferences(config: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const visit = (node: unknown, path: PropertyKey[]): void => {
    if (typeof node === 'string') {
      if ([...node.matchAll(REFERENCE)].some((match) => match[2]?.startsWith(RESERVED_PREFIX)))
        issues.push({ path: formatPath(path), message: RESERVED_REFERENCE_MESSAGE });
    } else if (Array.isArray(node))
      for (const [index, inner] of node.entries()) visit(inner, [...path, index]);
    else if (node && typeof node === 'object')
      for (const [key, inner] of Object.entries(node)) visit(inner, [...path, key]);
  };
  visit(config, []);
  return issues;
}

/** Values of every `secrets.*` referenced anywhere in the config that the environment holds. */
export function secretValues(config: unknown, env: NodeJS.ProcessEnv): string[] {
  const values = references(config)
    .filter((reference) => reference.kind === 'secrets')
    .flatMap((reference) => (env[reference.name] ? [env[reference.name] as string] : []));
  return [...new Set(values)];
}
