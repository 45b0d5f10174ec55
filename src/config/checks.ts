/**
 * Checks zod cannot make alone: folders that must exist, names that must refer to something.
 * They read the raw YAML defensively, so they run (and report) even when the schema also fails.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ConfigIssue } from './errors.js';
import { escapes, isInside, isUnder } from './paths.js';
import { nearest } from './suggest.js';

type Node = Record<string, unknown>;
const CHANNELS = ['email', 'slack', 'teams', 'discord', 'webhook', 'github'];

export function checkConfig(raw: unknown, root: string): ConfigIssue[] {
  const config = node(raw);
  const issues: ConfigIssue[] = [];
  const packages = entries(config.packages);
  const environments = entries(config.environments);
  const packageNames = packages.map(([name]) => name);
  const serviceNames = Object.keys(node(config.services));
  const environmentNames = environments.map(([name]) => name);
  const unknownName = (kind: string, value: string, known: string[]) => {
    const guess = nearest(value, known);
    return `no ${kind} named "${value}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
  };

  for (const [name, pkg] of packages) {
    const at = `packages.${name}`;
    // A path that escapes is refused by the schema; its folder is never looked at.
    if (typeof pkg.path === 'string' && !escapes(pkg.path)) {
      const problem = folderProblem(root, pkg.path);
      if (problem) issues.push({ path: `${at}.path`, message: problem });
      else if (!existsSync(join(root, pkg.path, 'package.json')))
        issues.push({ path: `${at}.path`, message: `${pkg.path} has no package.json` });
    }
    for (const [index, dependency] of list(pkg.dependsOn).entries()) {
      if (typeof dependency === 'string' && !packageNames.includes(dependency))
        issues.push({
          path: `${at}.dependsOn[${index}]`,
          message: unknownName('package', dependency, packageNames),
        });
    }
    issues.push(...suiteProblems(at, pkg.test, serviceNames, unknownName));
  }
  issues.push(...overlappingPackages(packages));

  for (const [index, contact] of list(config.contacts).entries()) {
    const channels = CHANNELS.filter((key) => node(contact)[key] !== undefined);
    if (channels.length !== 1)
      issues.push({
        path: `contacts[${index}]`,
        message: `needs exactly one channel (${CHANNELS.join(', ')}); found ${channels.length}`,
      });
  }

  for (const [name, environment] of environments) {
    const at = `environments.${name}`;
    if (typeof environment.after === 'string' && !environmentNames.includes(environment.after))
      issues.push({
        path: `${at}.after`,
        message: unknownName('environment', environment.after, environmentNames),
      });
    const e2ePath = node(environment.e2e).path;
    if (typeof e2ePath === 'string' && !escapes(e2ePath)) {
      const problem = folderProblem(root, e2ePath);
      if (problem) issues.push({ path: `${at}.e2e.path`, message: problem });
    }
    for (const [index, host] of list(environment.hosts).entries()) {
      const { address, path } = node(host);
      if ((address === undefined) === (path === undefined))
        issues.push({
          path: `${at}.hosts[${index}]`,
          message: 'needs either address (SSH) or path (local folder)',
        });
    }
    const steps = list(node(node(environment.strategy).canary).steps);
    const weights = steps.map((step) => node(step).weight);
    weights.forEach((weight, index) => {
      const previous = weights[index - 1];
      if (typeof weight === 'number' && typeof previous === 'number' && weight <= previous)
        issues.push({
          path: `${at}.strategy.canary.steps[${index}].weight`,
          message: 'weights must increase',
        });
    });
    if (weights.length > 0 && weights.at(-1) !== 100)
      issues.push({
        path: `${at}.strategy.canary.steps[${weights.length - 1}].weight`,
        message: 'the last step must be 100',
      });
  }
  return issues;
}

function node(value: unknown): Node {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : {};
}

function entries(value: unknown): [string, Node][] {
  return Object.entries(node(value)).map(([key, inner]) => [key, node(inner)]);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Why `path` (relative to root) is not a folder of the repository, or undefined when it is. */
function folderProblem(root: string, path: string): string | undefined {
  const folder = join(root, path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return `folder ${path} does not exist`;
  if (!isInside(realpathSync(root), realpathSync(folder)))
    return `${path} is a symbolic link out of the repository`;
  return undefined;
}

/** Suites of a package: unique names, and services that exist. */
function suiteProblems(
  at: string,
  test: unknown,
  serviceNames: string[],
  unknownName: (kind: string, value: string, known: string[]) => string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const suites = Array.isArray(test) ? test.map(node) : test && typeof test === 'object' ? [node(test)] : [];
  const seen = new Set<unknown>();
  suites.forEach((suite, index) => {
    const where = Array.isArray(test) ? `${at}.test[${index}]` : `${at}.test`;
    if (suite.name !== undefined && seen.has(suite.name))
      issues.push({
        path: `${where}.name`,
        message: `another suite of this package is named "${suite.name}"`,
      });
    seen.add(suite.name);
    for (const [i, service] of list(suite.services).entries()) {
      if (typeof service === 'string' && !serviceNames.includes(service))
        issues.push({
          path: `${where}.services[${i}]`,
          message: unknownName('service', service, serviceNames),
        });
    }
  });
  return issues;
}

/**
 * A package owns every file under its folder, so a package inside another would never be
 * "affected" (the outer one takes its changes) and its broken tests would go unseen.
 */
function overlappingPackages(packages: [string, Node][]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const folders = packages.flatMap(([name, pkg]) =>
    typeof pkg.path === 'string' && !escapes(pkg.path)
      ? [[name, posix.normalize(pkg.path).replace(/\/+$/, '')] as const]
      : [],
  );
  for (const [name, folder] of folders) {
    const outer = folders.find(
      ([other, otherFolder]) =>
        other !== name && isUnder(folder, otherFolder) && (folder !== otherFolder || other < name),
    );
    if (!outer) continue;
    issues.push({
      path: `packages.${name}.path`,
      message:
        folder === outer[1]
          ? `same folder as packages.${outer[0]}: one package.json is one package; give it several test suites instead (test: [{ name, run, junit }, ...])`
          : `inside packages.${outer[0]} (${outer[1]}), which owns every file under it; make them one package with several test suites (test: [{ name, run, junit }, ...]) or move ${outer[0]}`,
    });
  }
  return issues;
}
