/**
 * The environment of each step of a run: the minimal one of exec/step-env, plus, for a
 * package's build and suite, the variables its waggle.yml entry names and its node_modules/.bin.
 * (Those are read with the run's scope, before any step starts, so a missing one fails the run
 * up front with its name rather than half way.)
 */
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { prepareRunHome, type RunFacts, stepEnvironment } from '../exec/step-env.js';
import type { StepUser } from '../exec/step-user.js';

export function stepEnvironments(input: {
  config: Config;
  /** Each package's `env`, its variables read. */
  variables: ReadonlyMap<string, Readonly<Record<string, string>>>;
  serverEnv: NodeJS.ProcessEnv;
  /** waggle's home: the run's HOME and npm's shared cache live under it. */
  home: string;
  /** The workspace folder package paths start from. */
  root: string;
  run: RunFacts;
  /** Who runs the steps: the run's HOME is theirs. */
  user?: StepUser;
}): (pkg?: string) => NodeJS.ProcessEnv {
  const { config, serverEnv, root } = input;
  const runHome = join(input.home, 'workspaces', `${input.run.runId}.home`);
  prepareRunHome(runHome, serverEnv, input.user);
  const rootBin = join(root, 'node_modules', '.bin');
  return (name) => {
    const pkg = name === undefined ? undefined : config.packages[name];
    return stepEnvironment({
      serverEnv,
      home: runHome,
      npmCache: join(input.home, 'cache', 'npm'),
      run: input.run,
      binPaths: pkg ? [join(root, pkg.path, 'node_modules', '.bin'), rootBin] : [rootBin],
      packageEnv: name === undefined ? undefined : input.variables.get(name),
    });
  };
}
