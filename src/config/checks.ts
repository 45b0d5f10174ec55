/** Checks zod cannot make alone: folders that must exist, names that must refer to something. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigIssue } from './errors.js';
import type { Config } from './schema.js';
import { nearest } from './suggest.js';

export function checkConfig(config: Config, root: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const packageNames = Object.keys(config.packages);
  const environmentNames = Object.keys(config.environments);
  const unknownName = (kind: string, value: string, known: string[]) => {
    const guess = nearest(value, known);
    return `no ${kind} named "${value}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
  };

  for (const [name, pkg] of Object.entries(config.packages)) {
    const at = `packages.${name}`;
    if (!isFolder(join(root, pkg.path)))
      issues.push({ path: `${at}.path`, message: `folder ${pkg.path} does not exist` });
    else if (!existsSync(join(root, pkg.path, 'package.json')))
      issues.push({ path: `${at}.path`, message: `${pkg.path} has no package.json` });
    for (const [index, dependency] of (pkg.dependsOn ?? []).entries()) {
      if (!packageNames.includes(dependency))
        issues.push({
          path: `${at}.dependsOn[${index}]`,
          message: unknownName('package', dependency, packageNames),
        });
    }
    if (pkg.service && pkg.site)
      issues.push({ path: at, message: 'a package is a service or a site, not both' });
  }

  for (const [index, contact] of config.contacts.entries()) {
    const channels = ['email', 'slack', 'teams', 'discord', 'webhook', 'github'].filter(
      (key) => contact[key as keyof typeof contact] !== undefined,
    );
    if (channels.length !== 1)
      issues.push({
        path: `contacts[${index}]`,
        message: `needs exactly one channel (email, slack, teams, discord, webhook or github); found ${channels.length}`,
      });
  }

  for (const [name, environment] of Object.entries(config.environments)) {
    const at = `environments.${name}`;
    if (environment.after !== undefined && !environmentNames.includes(environment.after))
      issues.push({
        path: `${at}.after`,
        message: unknownName('environment', environment.after, environmentNames),
      });
    if (environment.e2e && !isFolder(join(root, environment.e2e.path)))
      issues.push({ path: `${at}.e2e.path`, message: `folder ${environment.e2e.path} does not exist` });
    if (Array.isArray(environment.hosts)) {
      for (const [index, host] of environment.hosts.entries()) {
        if ((host.address === undefined) === (host.path === undefined))
          issues.push({
            path: `${at}.hosts[${index}]`,
            message: 'needs either address (SSH) or path (local folder)',
          });
      }
    }
    const canary =
      environment.strategy && 'canary' in environment.strategy ? environment.strategy.canary : undefined;
    if (canary) {
      const weights = canary.steps.map((step) => step.weight);
      weights.forEach((weight, index) => {
        if (index > 0 && weight <= (weights[index - 1] as number))
          issues.push({
            path: `${at}.strategy.canary.steps[${index}].weight`,
            message: 'weights must increase',
          });
      });
      if (weights.at(-1) !== 100)
        issues.push({
          path: `${at}.strategy.canary.steps[${weights.length - 1}].weight`,
          message: 'the last step must be 100',
        });
    }
  }
  return issues;
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
