import { BadInputError } from '../errors.js';

/** A problem in waggle.yml, located by its dotted path (`packages.billing.path`). */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** Bad configuration: the CLI prints each issue as `path: message` and exits 2. */
export class ConfigError extends BadInputError {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(root)' : text;
}
