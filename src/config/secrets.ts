/**
 * `${{ secrets.NAME }}` and `${{ vars.NAME }}` in waggle.yml, read from the environment variable
 * NAME when used. Secret values are handed to the redactor so no output ever shows them.
 */
const REFERENCE = /\$\{\{\s*(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set`);
    this.name = 'MissingVariableError';
  }
}

export function interpolate(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(REFERENCE, (_, _kind: string, variable: string) => {
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

/** Values of every `secrets.*` referenced anywhere in the config that the environment holds. */
export function secretValues(config: unknown, env: NodeJS.ProcessEnv): string[] {
  const values = references(config)
    .filter((reference) => reference.kind === 'secrets')
    .flatMap((reference) => (env[reference.name] ? [env[reference.name] as string] : []));
  return [...new Set(values)];
}
