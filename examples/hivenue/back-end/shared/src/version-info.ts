export interface VersionInfo {
  service: string;
  release: string;
  commit: string;
  colour: string;
}

/**
 * What is running, as told by the deployment through the environment: the release name, the
 * commit it was built from and the blue/green colour of the slot it runs in.
 */
export function readVersionInfo(service: string, env: NodeJS.ProcessEnv = process.env): VersionInfo {
  return {
    service,
    release: env.WAGGLE_RELEASE ?? 'dev',
    commit: env.WAGGLE_COMMIT ?? 'unknown',
    colour: env.WAGGLE_COLOUR ?? 'none',
  };
}
