/** Tables of the store, as kysely sees them, and the migrations that create them. */
import type { Generated } from 'kysely';

export type RunStatus = 'queued' | 'running' | 'passed' | 'failed' | 'cancelled' | 'interrupted';
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

export interface Database {
  runs: RunTable;
  steps: StepTable;
  step_logs: StepLogTable;
  test_cases: TestCaseTable;
  artifacts: ArtifactTable;
  cache_entries: CacheEntryTable;
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
];
