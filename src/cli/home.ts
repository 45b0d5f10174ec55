/** Where state lives: WAGGLE_HOME, else .waggle/ at the git root of the config (or beside it). */
import { dirname, join, resolve } from 'node:path';
import { gitRoot } from '../workspace/git.js';

export function waggleHome(configFile: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.WAGGLE_HOME) return resolve(env.WAGGLE_HOME);
  const folder = dirname(configFile);
  return join(gitRoot(folder) ?? folder, '.waggle');
}
