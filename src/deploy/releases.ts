/**
 * A package's releases on one host:
 *
 *   <base>/<app>/<package>/releases/<release-id>/   one unpacked artifact each, never changed after
 *   <base>/<app>/<package>/shared/                  what outlives releases: the env file, logs
 *   <base>/<app>/<package>/incoming/                uploads on their way
 *   <base>/<app>/<package>/current -> releases/<id> switched by renaming a new link over it
 *
 * A release folder gets its name only once it is complete (unpacked beside, then renamed), and the
 * artifact's sha256 is checked on the host before it is unpacked: a deploy cut off half way leaves
 * no half release, let alone a linked one, and running it again completes it.
 */
import { posix } from 'node:path';
import { FailedOperationError } from '../errors.js';
import { mustRun, type Transport } from './transport.js';

export interface ReleasePaths {
  root: string;
  releases: string;
  shared: string;
  incoming: string;
  current: string;
}

export function releasePaths(base: string, app: string, pkg: string): ReleasePaths {
  const root = posix.join(base, app, pkg);
  return {
    root,
    releases: posix.join(root, 'releases'),
    shared: posix.join(root, 'shared'),
    incoming: posix.join(root, 'incoming'),
    current: posix.join(root, 'current'),
  };
}

/** Sorts as it was made: `20261130T081500Z-run12-0a1b2c3d4e5f`. */
export function releaseId(at: Date, runId: number, sha: string): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-run${runId}-${sha.slice(0, 12)}`;
}

const RELEASE_ID = /^\d{8}T\d{6}Z-run\d+-[0-9a-f]{1,40}$/;
/** Written last into a release: what it is, for people and for `waggle rollback`. */
export const RELEASE_MARKER = '.waggle-release.json';

export interface ReleaseFacts {
  id: string;
  package: string;
  sha256: string;
  commit: string;
  run: number;
}

export class HostReleases {
  constructor(
    private readonly transport: Transport,
    readonly paths: ReleasePaths,
  ) {}

  /**
   * Puts the artifact on the host as release `facts.id`, unless it is there already. Throws when
   * the bytes that arrived are not the artifact's, leaving nothing of them behind.
   */
  async install(
    artifactFile: string,
    facts: ReleaseFacts,
    signal?: AbortSignal,
  ): Promise<'installed' | 'present'> {
    const { paths, transport } = this;
    if (!RELEASE_ID.test(facts.id)) throw new Error(`not a release id: ${facts.id}`);
    const release = posix.join(paths.releases, facts.id);
    await mustRun(transport, ['mkdir', '-p', '--', paths.releases, paths.shared, paths.incoming], { signal });
    if (await this.exists(posix.join(release, RELEASE_MARKER))) return 'present';

    const tarball = posix.join(paths.incoming, `${facts.id}.tgz`);
    await transport.upload(artifactFile, `${tarball}.partial`);
    await mustRun(transport, ['mv', '-f', '--', `${tarball}.partial`, tarball], { signal });
    const sum = (await mustRun(transport, ['sha256sum', '--', tarball], { signal })).stdout.split(/\s/)[0];
    if (sum !== facts.sha256) {
      await mustRun(transport, ['rm', '-f', '--', tarball]);
      throw new FailedOperationError(
        `${transport.name}: the artifact of ${facts.package} arrived as sha256 ${sum}, not ${facts.sha256}: not installed`,
      );
    }
    const unpacking = posix.join(paths.releases, `.${facts.id}.unpacking`);
    await mustRun(transport, ['rm', '-rf', '--', unpacking], { signal });
    await mustRun(transport, ['mkdir', '-p', '--', unpacking], { signal });
    // Owned by the deploy user, modes as its umask gives (run as root, tar would keep the
    // tarball's own), and the release folder readable by nginx's workers and the services.
    await mustRun(
      transport,
      ['tar', '-xzf', tarball, '-C', unpacking, '--no-same-owner', '--no-same-permissions'],
      { signal, timeoutMs: 10 * 60_000 },
    );
    await mustRun(transport, ['chmod', '755', '--', unpacking], { signal });
    await transport.writeFile(
      posix.join(unpacking, RELEASE_MARKER),
      `${JSON.stringify(facts, null, 2)}\n`,
      0o644,
    );
    await mustRun(transport, ['mv', '-T', '--', unpacking, release], { signal });
    await mustRun(transport, ['rm', '-f', '--', tarball], { signal });
    return 'installed';
  }

  /** Points `current` at the release in one rename: readers see the old link or the new, never none. */
  async activate(id: string): Promise<void> {
    const { paths, transport } = this;
    if (!(await this.exists(posix.join(paths.releases, id, RELEASE_MARKER))))
      throw new FailedOperationError(
        `${transport.name}: there is no complete release ${id} of ${posix.basename(paths.root)}`,
      );
    const link = posix.join(paths.root, `.current.${id}`);
    await mustRun(transport, ['rm', '-f', '--', link]);
    await mustRun(transport, ['ln', '-s', '--', posix.join('releases', id), link]);
    await mustRun(transport, ['mv', '-T', '-f', '--', link, paths.current]);
  }

  /** The release `current` points at, if any. */
  async current(): Promise<string | undefined> {
    const result = await this.transport.run(['readlink', '--', this.paths.current]);
    if (result.exitCode !== 0) return undefined;
    return posix.basename(result.stdout.trim());
  }

  /** Complete releases, oldest first. */
  async list(): Promise<string[]> {
    const result = await this.transport.run(['ls', '-1', '--', this.paths.releases]);
    if (result.exitCode !== 0) return [];
    return result.stdout
      .split('\n')
      .filter((name) => RELEASE_ID.test(name))
      .sort();
  }

  /** The release before `id` (default: the current one), for a rollback. */
  async previous(id?: string): Promise<string | undefined> {
    const of = id ?? (await this.current());
    const all = await this.list();
    const index = of === undefined ? all.length : all.indexOf(of);
    return index > 0 ? all[index - 1] : undefined;
  }

  /** The facts written into a release when it was installed. */
  async facts(id: string): Promise<ReleaseFacts | undefined> {
    const text = await this.transport.readFile(posix.join(this.paths.releases, id, RELEASE_MARKER));
    return text ? (JSON.parse(text.toString('utf8')) as ReleaseFacts) : undefined;
  }

  /** Keeps the newest `keep` releases and the current one; removes the rest and unfinished unpacks. */
  async prune(keep: number): Promise<string[]> {
    const all = await this.list();
    const current = await this.current();
    const removed = all.slice(0, Math.max(0, all.length - keep)).filter((id) => id !== current);
    const listing = await this.transport.run(['ls', '-1', '-A', '--', this.paths.releases]);
    const leftovers = listing.stdout.split('\n').filter((name) => /^\..+\.unpacking$/.test(name));
    const doomed = [...removed, ...leftovers].map((name) => posix.join(this.paths.releases, name));
    if (doomed.length > 0) await mustRun(this.transport, ['rm', '-rf', '--', ...doomed]);
    return removed;
  }

  private async exists(path: string): Promise<boolean> {
    return (await this.transport.run(['test', '-e', path])).exitCode === 0;
  }
}
