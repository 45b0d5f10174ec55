/** What `deploy` and `rollback` act on: an environment of this checkout's waggle.yml, and its state folder. */
import { dirname } from 'node:path';
import { findConfigFile, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { gitRoot } from '../workspace/git.js';
import { homeOfConfig } from './home.js';
import { UsageError } from './usage-error.js';

export interface EnvironmentTarget {
  configFile: string;
  config: Config;
  /** The checkout's git root. */
  repo: string;
  home: string;
}

export function environmentTarget(configOption: string | undefined, environment: string): EnvironmentTarget {
  const configFile = findConfigFile(configOption);
  const { config } = loadConfig(configFile);
  if (!config.environments[environment]) {
    const known = Object.keys(config.environments);
    throw new UsageError(
      `waggle.yml has no environment "${environment}"${known.length ? `; it has ${known.join(', ')}` : ''}`,
    );
  }
  const repo = gitRoot(dirname(configFile));
  if (!repo) throw new UsageError(`${configFile} is not in a git repository`);
  return { configFile, config, repo, home: homeOfConfig(configFile) };
}
