/**
 * An Angular workspace's application as angular.json describes it: where it lives, where
 * `ng build` writes the site, and how `ng test` runs (Karma with its config, or Vitest).
 */
import { posix } from 'node:path';
import { readJson, repoPath } from './repo-files.js';
import type { ReadFile } from './types.js';

export interface AngularProject {
  /** Folder holding angular.json, relative to the repository root. */
  workspace: string;
  name: string;
  /** The project's root and sourceRoot, relative to the repository root. */
  root: string;
  sourceRoot: string;
  /** The folder `ng build` writes, and the browser files inside it (the site). */
  outputBase: string;
  dist: string;
  /** How `ng test` runs: Karma (with its config file, when there is one), Vitest, or another builder. */
  test?: { runner: 'karma' | 'vitest' | 'other'; config?: string };
}

interface ArchitectTarget {
  builder?: string;
  options?: Record<string, unknown>;
}

interface AngularJson {
  defaultProject?: string;
  projects?: Record<
    string,
    {
      projectType?: string;
      root?: string;
      sourceRoot?: string;
      architect?: Record<string, ArchitectTarget>;
    }
  >;
}

/** The application in `workspace`/angular.json (or the one named), as the CLI would pick it. */
export function angularProject(read: ReadFile, workspace: string, name?: string): AngularProject | undefined {
  const json = readJson(read, repoPath(workspace, 'angular.json')) as AngularJson | undefined;
  const projects = Object.entries(json?.projects ?? {});
  const picked =
    projects.find(([key]) => key === (name ?? json?.defaultProject)) ??
    projects.find(([, project]) => project.projectType === 'application') ??
    projects[0];
  if (!picked) return undefined;
  const [projectName, project] = picked;
  const root = repoPath(workspace, project.root ?? '');
  const build = project.architect?.build;
  const outputPath = build?.options?.outputPath;
  const outputBase = repoPath(
    workspace,
    typeof outputPath === 'string'
      ? outputPath
      : typeof (outputPath as { base?: unknown })?.base === 'string'
        ? ((outputPath as { base: string }).base as string)
        : `dist/${projectName}`,
  );
  const browserFolder =
    outputPath &&
    typeof outputPath === 'object' &&
    typeof (outputPath as { browser?: unknown }).browser === 'string'
      ? (outputPath as { browser: string }).browser
      : 'browser';
  // The older browser builders write the site straight into outputPath.
  const flat = /:browser(-esbuild)?$/.test(build?.builder ?? '');
  const result: AngularProject = {
    workspace,
    name: projectName,
    root,
    sourceRoot: repoPath(workspace, project.sourceRoot ?? posix.join(project.root ?? '', 'src')),
    outputBase,
    dist: flat || browserFolder === '' ? outputBase : repoPath(outputBase, browserFolder),
  };
  const test = project.architect?.test;
  if (test) result.test = angularTest(read, workspace, root, test);
  return result;
}

function angularTest(
  read: ReadFile,
  workspace: string,
  root: string,
  target: ArchitectTarget,
): AngularProject['test'] {
  const builder = target.builder ?? '';
  const options = target.options ?? {};
  if (/:karma$/.test(builder)) {
    const config = options.karmaConfig;
    return {
      runner: 'karma',
      ...(typeof config === 'string' ? { config: repoPath(workspace, config) } : {}),
    };
  }
  if (/:unit-test$/.test(builder)) {
    if ((options.runner ?? 'vitest') !== 'karma') return { runner: 'vitest' };
    const config = options.runnerConfig;
    if (typeof config === 'string' && config !== '')
      return { runner: 'karma', config: repoPath(workspace, config) };
    const standard = repoPath(root, 'karma.conf.js');
    return config && read(standard) !== undefined
      ? { runner: 'karma', config: standard }
      : { runner: 'karma' };
  }
  return { runner: 'other' };
}
