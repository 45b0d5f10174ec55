/** Tables of the store, as kysely sees them, and the migrations that create them. */
import type { Generated } from 'kysely';

export type RunStatus = 'queued' | 'running' | 'passed' | 'failed' | 'cancelled' | 'interrupted';
/** A run in one of these has not finished: its workspace and cache entries are still in use. */
export const UNFINISHED: readonly RunStatus[] = ['queued', 'running'];
/** A run in one of these has finished and will not change again. */
export const ENDED: readonly RunStatus[] = ['passed', 'failed', 'cancelled', 'interrupted'];
export type StepStatus = 'pending' | 'running' | 'passed' | 'failed' | 'cached' | 'skipped' | 'cancelled';
export type TestStatus = 'passed' | 'failed' | 'skipped';

export interface RunTable {
  id: Generated<number>;
  repo: string;
  branch: string;
  sha: string;
  base_sha: string | null;
  author: string;
  message: string;
  trigger: string;
  status: RunStatus;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  summary: string | null;
  /** JSON of the run's options (base, all, until). */
  options: string | null;
  delivery_id: string | null;
  /** The interrupted run this one repeats. */
  retry_of: number | null;
  /** Why a run ended before any step could tell: the commit could not be fetched, a bad config. */
  error: string | null;
  /** Unused since leases: a pid can be reused (a restarted container is pid 1 again). */
  pid: number | null;
  /** The waggle instance running it, which renews the lease while it works. */
  lease_owner: string | null;
  /** A running run whose lease ran out was abandoned by a crash. */
  lease_expires_at: number | null;
  /** What the job is ('ci', later 'deploy'): its kind decides what supersedes it and what a crash does. */
  kind: Generated<string>;
}

export interface StepTable {
  id: Generated<number>;
  run_id: number;
  key: string;
  stage: string;
  name: string;
  package: string | null;
  status: StepStatus;
  detail: string | null;
  exit_code: number | null;
  cache_key: string | null;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
}

export interface StepLogTable {
  step_id: number;
  seq: number;
  stream: 'stdout' | 'stderr';
  line: string;
  at: number;
}

export interface TestCaseTable {
  id: Generated<number>;
  run_id: number;
  step_id: number;
  package: string;
  suite: string;
  name: string;
  file: string | null;
  status: TestStatus;
  duration_ms: number;
  message: string | null;
}

export interface ArtifactTable {
  id: Generated<number>;
  run_id: number;
  package: string;
  file: string;
  sha256: string;
  size: number;
  cache_key: string;
  manifest: string;
}

/** What already passed under a content key: a build's outputs or a suite's results. */
export interface CacheEntryTable {
  key: string;
  kind: 'build' | 'test';
  package: string;
  run_id: number;
  created_at: number;
}

/** A GitHub webhook delivery, kept before it is acknowledged so a crash loses nothing. */
export interface DeliveryTable {
  id: string;
  event: string;
  received_at: number;
  outcome: 'queued' | 'ignored';
  reason: string | null;
  run_id: number | null;
  payload: string;
}

export type Role = 'viewer' | 'operator' | 'approver' | 'admin';
/** Every role, least allowed first. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'approver', 'admin'];

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  role: Role;
  /** sha256 of the token: the token itself is shown once and never stored. */
  hash: string;
  created_at: number;
  last_used_at: number | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  detail: string | null;
}

export interface NotificationAttemptTable {
  id: Generated<number>;
  run_id: number | null;
  contact: string;
  channel: string;
  event: string;
  attempt: number;
  ok: number;
  status: number | null;
  error: string | null;
  at: number;
}

export interface SessionTable {
  id: string;
  token_id: number;
  csrf: string;
  created_at: number;
  expires_at: number;
}

export interface DeployLockTable {
  environment: string;
  /** The deploy job holding it. */
  run_id: number;
  /** Who: the lease owner of the process that took it (instance, host, pid). */
  owner: string;
  /** The person or trigger behind the deploy, for the message a refused deploy shows. */
  actor: string;
  acquired_at: number;
}

export interface HostReleaseTable {
  environment: string;
  host: string;
  package: string;
  release: string;
  /** The CI run whose artifact it is. */
  source_run: number;
  /** The deploy job that put it there. */
  deploy_run: number;
  since: number;
}

export interface Database {
  runs: RunTable;
  steps: StepTable;
  step_logs: StepLogTable;
  test_cases: TestCaseTable;
  artifacts: ArtifactTable;
  cache_entries: CacheEntryTable;
  deliveries: DeliveryTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditTable;
  notification_attempts: NotificationAttemptTable;
  sessions: SessionTable;
  deploy_locks: DeployLockTable;
  host_releases: HostReleaseTable;
}

/** Appended to, never edited: the store's user_version says how many have run. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     repo TEXT NOT NULL, branch TEXT NOT NULL, sha TEXT NOT NULL, base_sha TEXT,
     author TEXT NOT NULL, message TEXT NOT NULL, trigger TEXT NOT NULL, status TEXT NOT NULL,
     created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER, summary TEXT);
   CREATE INDEX runs_branch ON runs (repo, branch, status, id);
   CREATE TABLE steps (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id INTEGER NOT NULL REFERENCES runs(id), key TEXT NOT NULL, stage TEXT NOT NULL, name TEXT NOT NULL,
     package TEXT, status TEXT NOT NULL, detail TEXT, exit_code INTEGER, cache_key TEXT,
     started_at INTEGER, finished_at INTEGER, duration_ms INTEGER,
     UNIQUE (run_id, key));
   CREATE TABLE step_logs (
     step_id INTEGER NOT NULL REFERENCES steps(id), seq INTEGER NOT NULL, stream TEXT NOT NULL,
     line TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (step_id, seq));
   CREATE TABLE test_cases (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id INTEGER NOT NULL REFERENCES runs(id), step_id INTEGER NOT NULL REFERENCES steps(id),
     package TEXT NOT NULL, suite TEXT NOT NULL, name TEXT NOT NULL, file TEXT, status TEXT NOT NULL,
     duration_ms INTEGER NOT NULL, message TEXT);
   CREATE INDEX test_cases_run ON test_cases (run_id, package);
   CREATE TABLE artifacts (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id INTEGER NOT NULL REFERENCES runs(id), package TEXT NOT NULL, file TEXT NOT NULL,
     sha256 TEXT NOT NULL, size INTEGER NOT NULL, cache_key TEXT NOT NULL, manifest TEXT NOT NULL);
   CREATE TABLE cache_entries (
     key TEXT NOT NULL, kind TEXT NOT NULL, package TEXT NOT NULL, run_id INTEGER NOT NULL,
     created_at INTEGER NOT NULL, PRIMARY KEY (key, kind));`,
  `ALTER TABLE runs ADD COLUMN options TEXT;
   ALTER TABLE runs ADD COLUMN delivery_id TEXT;
   ALTER TABLE runs ADD COLUMN retry_of INTEGER;
   ALTER TABLE runs ADD COLUMN error TEXT;
   CREATE INDEX runs_status ON runs (status, id);
   CREATE TABLE deliveries (
     id TEXT PRIMARY KEY, event TEXT NOT NULL, received_at INTEGER NOT NULL, outcome TEXT NOT NULL,
     reason TEXT, run_id INTEGER, payload TEXT NOT NULL);
   CREATE TABLE api_tokens (
     id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
     hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, last_used_at INTEGER);
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
     target TEXT, ip TEXT, detail TEXT);
   CREATE TABLE notification_attempts (
     id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER, contact TEXT NOT NULL, channel TEXT NOT NULL,
     event TEXT NOT NULL, attempt INTEGER NOT NULL, ok INTEGER NOT NULL, status INTEGER, error TEXT,
     at INTEGER NOT NULL);
   CREATE INDEX notification_attempts_run ON notification_attempts (run_id);
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY, token_id INTEGER NOT NULL REFERENCES api_tokens(id), csrf TEXT NOT NULL,
     created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);`,
  'ALTER TABLE runs ADD COLUMN pid INTEGER;',
  `ALTER TABLE runs ADD COLUMN lease_owner TEXT;
   ALTER TABLE runs ADD COLUMN lease_expires_at INTEGER;`,
  "ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'ci';",
  `CREATE TABLE deploy_locks (
     environment TEXT PRIMARY KEY, run_id INTEGER NOT NULL, owner TEXT NOT NULL, actor TEXT NOT NULL,
     acquired_at INTEGER NOT NULL);
   CREATE TABLE host_releases (
     environment TEXT NOT NULL, host TEXT NOT NULL, package TEXT NOT NULL, release TEXT NOT NULL,
     source_run INTEGER NOT NULL, deploy_run INTEGER NOT NULL, since INTEGER NOT NULL,
     PRIMARY KEY (environment, host, package));`,
];
