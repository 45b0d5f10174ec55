/** Where state lives: WAGGLE_HOME, else .waggle/ at the git root of a folder (or in it). */
import { dirname, join, resolve } from 'node:path';
import { gitRoot } from '../workspace/git.js';

export function waggleHome(folder: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.WAGGLE_HOME) return resolve(env.WAGGLE_HOME);
  return join(gitRoot(folder) ?? folder, '.waggle');
}

export function homeOfConfig(configFile: string, env: NodeJS.ProcessEnv = process.env): string {
  return waggleHome(dirname(configFile), env);
}
