import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homeOfConfig, stateDirectory, waggleHome } from './home.js';

function gitRepo(parent: string, name: string): string {
  const repo = join(parent, name);
  mkdirSync(join(repo, 'back-end', 'api'), { recursive: true });
  execFileSync('git', ['init', '-q', repo]);
  return repo;
}

describe('waggleHome', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'waggle-home-')));
  const env = { HOME: join(base, 'user'), XDG_STATE_HOME: join(base, 'state') };

  it('puts state under $XDG_STATE_HOME/waggle, named after the checkout, outside it', () => {
    const repo = gitRepo(join(base, 'a'), 'hivenue');
    const home = waggleHome(repo, env);
    expect(dirname(home)).toBe(join(base, 'state', 'waggle'));
    expect(basename(home)).toMatch(/^hivenue-[0-9a-f]{12}$/);
    expect(home.startsWith(repo)).toBe(false);
  });

  it('gives the same folder from anywhere in the same checkout, and through a symlink to it', () => {
    const repo = gitRepo(join(base, 'b'), 'hivenue');
    const link = join(base, 'b-link');
    symlinkSync(repo, link);
    const home = waggleHome(repo, env);
    expect(waggleHome(join(repo, 'back-end', 'api'), env)).toBe(home);
    expect(homeOfConfig(join(repo, 'waggle.yml'), env)).toBe(home);
    expect(waggleHome(link, env)).toBe(home);
    expect(waggleHome(repo, env)).toBe(home);
  });

  it('keeps two checkouts of the same name apart', () => {
    const one = waggleHome(gitRepo(join(base, 'c1'), 'hivenue'), env);
    const two = waggleHome(gitRepo(join(base, 'c2'), 'hivenue'), env);
    expect(one).not.toBe(two);
    expect(basename(one).startsWith('hivenue-')).toBe(true);
    expect(basename(two).startsWith('hivenue-')).toBe(true);
  });

  it('uses the folder itself outside a git repository', () => {
    const folder = join(base, 'plain', 'project');
    mkdirSync(folder, { recursive: true });
    expect(basename(waggleHome(folder, env))).toMatch(/^project-[0-9a-f]{12}$/);
  });

  it('lets WAGGLE_HOME override, resolved to an absolute path', () => {
    const repo = gitRepo(join(base, 'd'), 'hivenue');
    expect(waggleHome(repo, { ...env, WAGGLE_HOME: join(base, 'elsewhere') })).toBe(join(base, 'elsewhere'));
  });

  it('falls back to ~/.local/state when XDG_STATE_HOME is unset or relative', () => {
    expect(stateDirectory({ HOME: '/home/bee' }, 1000)).toBe('/home/bee/.local/state');
    expect(stateDirectory({ HOME: '/home/bee', XDG_STATE_HOME: 'relative/state' }, 1000)).toBe(
      '/home/bee/.local/state',
    );
    expect(stateDirectory({ HOME: '/home/bee', XDG_STATE_HOME: '/var/state' }, 1000)).toBe('/var/state');
  });

  it("keeps root's state in /var/lib, where the user steps run as can reach the workspaces", () => {
    expect(stateDirectory({ HOME: '/root' }, 0)).toBe('/var/lib');
    expect(stateDirectory({ HOME: '/root', XDG_STATE_HOME: '/srv/state' }, 0)).toBe('/srv/state');
  });

  it('names the folder safely whatever the checkout is called', () => {
    const repo = gitRepo(join(base, 'e'), '.odd name;$x');
    expect(basename(waggleHome(repo, env))).toMatch(/^odd_name__x-[0-9a-f]{12}$/);
  });
});
