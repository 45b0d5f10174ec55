/** Small synchronous git queries. Arguments are argv entries, never parsed by a shell. */
import { execFileSync } from 'node:child_process';

export function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  }).trimEnd();
}

export function gitRoot(cwd: string): string | undefined {
  try {
    return git(cwd, ['rev-parse', '--show-toplevel']);
  } catch {
    return undefined;
  }
}

export function resolveCommit(cwd: string, ref: string): string {
  return git(cwd, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]);
}

export function currentBranch(cwd: string): string {
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  return branch === 'HEAD' ? 'detached' : branch;
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
export function changedFiles(cwd: string, base: string, head: string): string[] {
  const out = git(cwd, ['diff', '--name-only', '--no-renames', base, head, '--']);
  return out === '' ? [] : out.split('\n');
}

/** The id of a path's tree or blob at a commit: a content hash git already keeps. */
export function objectId(cwd: string, sha: string, path: string): string | undefined {
  try {
    return git(cwd, ['rev-parse', '--verify', '--quiet', `${sha}:${path}`]);
  } catch {
    return undefined;
  }
}

/** A file's text at a commit. */
export function fileAt(cwd: string, sha: string, path: string): string {
  return git(cwd, ['show', `${sha}:${path}`]);
}
