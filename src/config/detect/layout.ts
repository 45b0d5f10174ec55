/**
 * The layout of a package that holds both halves of an app (MEAN: Angular in client/, Express in
 * server/): which subfolder is the back end, and where the Angular workspace is.
 */
import { join, posix } from 'node:path';
import { type AngularProject, angularProject } from '../junit/angular.js';
import type { ReadFile } from '../junit/types.js';
import { isFolder } from './package-folder.js';

const FRONT_END_FOLDERS = ['client', 'frontend', 'front-end', 'web', 'app', 'ui', 'angular'];
const BACK_END_FOLDERS = ['server', 'backend', 'back-end', 'api'];

/** The package's back-end subfolder (server, api...), when it has one. */
export function backEndFolder(root: string, folder: string): string | undefined {
  return BACK_END_FOLDERS.find((dir) => isFolder(root, join(folder, dir)));
}

/** The Angular workspace of a package: angular.json in its folder or in a front-end subfolder. */
export function findAngular(read: ReadFile, folder: string): AngularProject | undefined {
  for (const dir of [folder, ...FRONT_END_FOLDERS.map((name) => posix.join(folder, name))]) {
    if (read(posix.join(dir, 'angular.json')) === undefined) continue;
    const project = angularProject(read, posix.normalize(dir));
    if (project) return project;
  }
  return undefined;
}
