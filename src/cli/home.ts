/**
 * Where state lives: WAGGLE_HOME, else a folder of the repository's own under the user's state
 * directory. Never inside the checkout: test runners that scan the repository (Jest, Vitest,
 * Karma) would find the run workspaces' copies of its spec files and run them too.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { gitRoot } from '../workspace/git.js';

export function waggleHome(folder: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.WAGGLE_HOME) return resolve(env.WAGGLE_HOME);
  return join(stateDirectory(env), 'waggle', repositoryFolderName(gitRoot(folder) ?? folder));
}

export function homeOfConfig(configFile: string, env: NodeJS.ProcessEnv = process.env): string {
  return waggleHome(dirname(configFile), env);
}

/**
 * $XDG_STATE_HOME, else ~/.local/state; a relative XDG_STATE_HOME is ignored, as the spec says.
 * As root, /var/lib: root's own home is closed to others, and the user steps run as
 * (exec/step-user.ts) must reach the run workspaces.
 */
export function stateDirectory(env: NodeJS.ProcessEnv, uid = process.getuid?.()): string {
  const xdg = env.XDG_STATE_HOME;
  if (xdg && isAbsolute(xdg)) return xdg;
  if (uid === 0) return '/var/lib';
  return join(env.HOME || homedir(), '.local', 'state');
}

/**
 * `<name>-<12 hex>`: the name says which checkout it is to a person listing the folder; the hash
 * of the real path keeps two checkouts of the same name apart, and the same checkout reached
 * through a symlink on the same folder.
 */
export function repositoryFolderName(root: string): string {
  const real = realpathOrSelf(resolve(root));
  const name =
    basename(real)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '') || 'root';
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 12);
  return `${name}-${hash}`;
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
