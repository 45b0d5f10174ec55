/**
 * The SQLite store (WAL) under the waggle home: the one object callers hold, made of one module
 * per concern, each with named operations (store.runs.create, store.tokens.byHash, ...). No SQL
 * is written outside src/store/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Artifacts } from './artifacts.js';
import { AuditLog } from './audit.js';
import { CacheEntries } from './cache-entries.js';
import { type Connection, openDatabase } from './database.js';
import { Deliveries } from './deliveries.js';
import { DeployLocks } from './deploy-locks.js';
import { HostReleases } from './host-releases.js';
import { NotificationAttempts } from './notification-attempts.js';
import { type RunDetail, readRunDetail } from './run-detail.js';
import { Runs } from './runs.js';
import { Sessions } from './sessions.js';
import { StepLogs } from './step-logs.js';
import { Steps } from './steps.js';
import { TestCases } from './test-cases.js';
import { Tokens } from './tokens.js';

export type { ArtifactRow } from './artifacts.js';
export type { Run } from './runs.js';
export type { StepRow } from './steps.js';
export type { TestCaseRow } from './test-cases.js';

export class Store {
  readonly runs: Runs;
  /** GitHub webhook deliveries, with the runs they queue. */
  readonly deliveries: Deliveries;
  readonly steps: Steps;
  readonly logs: StepLogs;
  readonly tests: TestCases;
  readonly artifacts: Artifacts;
  /** Builds and suites that passed under a content key. */
  readonly cache: CacheEntries;
  readonly tokens: Tokens;
  readonly sessions: Sessions;
  readonly audit: AuditLog;
  readonly notifications: NotificationAttempts;
  /** One deploy at a time per environment. */
  readonly deployLocks: DeployLocks;
  /** What each host of each environment runs. */
  readonly hostReleases: HostReleases;
  private readonly connection: Connection;

  constructor(file: string) {
    this.connection = openDatabase(file);
    this.runs = new Runs(this.connection);
    this.deliveries = new Deliveries(this.connection);
    this.steps = new Steps(this.connection);
    this.logs = new StepLogs(this.connection);
    this.tests = new TestCases(this.connection);
    this.artifacts = new Artifacts(this.connection);
    this.cache = new CacheEntries(this.connection);
    this.tokens = new Tokens(this.connection);
    this.sessions = new Sessions(this.connection);
    this.audit = new AuditLog(this.connection);
    this.notifications = new NotificationAttempts(this.connection);
    this.deployLocks = new DeployLocks(this.connection);
    this.hostReleases = new HostReleases(this.connection);
  }

  static open(home: string): Store {
    mkdirSync(home, { recursive: true });
    return new Store(join(home, 'waggle.db'));
  }

  /** A run with its steps, tests, artifacts and notifications: the one read across concerns. */
  runDetail(id: number): Promise<RunDetail | undefined> {
    return readRunDetail(this, id);
  }

  close(): Promise<void> {
    return this.connection.db.destroy();
  }
}
