/** Small synchronous git queries. Arguments are argv entries, never parsed by a shell. */
import { git } from '../exec/git.js';
import { exec } from '../exec/process.js';

export { git, gitRoot } from '../exec/git.js';

export function resolveCommit(cwd: string, ref: string): string {
  return git(cwd, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]);
}

/** The checked-out branch, also in a repository with no commit yet; 'detached' off any branch. */
export function currentBranch(cwd: string): string {
  try {
    return git(cwd, ['symbolic-ref', '--short', '--quiet', 'HEAD']);
  } catch {
    return 'detached';
  }
}

export interface CommitInfo {
  sha: string;
  author: string;
  email: string;
  message: string;
}

export function commitInfo(cwd: string, sha: string): CommitInfo {
  const [author = '', email = '', ...message] = git(cwd, [
    'show',
    '-s',
    '--format=%an%n%ae%n%s',
    sha,
    '--',
  ]).split('\n');
  return { sha, author, email, message: message.join('\n') };
}

/** Files changed between two commits, relative to the repository root. */
export async function changedFiles(cwd: string, base: string, head: string): Promise<string[]> {
  const { stdout } = await exec(['git', 'diff', '--name-only', '--no-renames', '-z', base, head, '--'], {
    cwd,
  });
  // Output is NUL-separated (names may hold any byte); exec adds a newline after the last line.
  return stdout
    .replace(/\n$/, '')
    .split('\0')
    .filter((path) => path !== '');
}
