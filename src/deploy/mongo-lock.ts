/**
 * One migrator at a time: a lock document in the migrations' own collection, on a fixed ObjectId
 * `_id`, with an owner and an expiry, so a migrator that crashed holding it blocks others for at
 * most its time to live; a live holder renews it while it works.
 *
 * Taking it is one of two single-document writes, each atomic on its own:
 *  - an expired lock is taken over by `findOneAndUpdate({ _id, expiresAt <= now }, { $set: owner })`:
 *    of two migrators doing so at once, the second's filter no longer matches;
 *  - a missing lock is created by `insertOne({ _id, ... })`: `_id` is unique in every collection, so
 *    of two inserts one fails with a duplicate key error.
 * Both hold on the stand-in as well, which rejects string `_id`s (hence an ObjectId) and does not
 * enforce unique indexes (hence no reliance on one): it refuses a second document with the same
 * `_id`, and it runs each command to its end before the next. A real MongoDB adds to this the
 * unique index on the records' names (see mongo-migrations.ts), which refuses a migration recorded
 * twice even if a lock was lost.
 *
 * Expiry compares the migrator's clock with the time another migrator wrote: clocks of the
 * machines that migrate one database must agree to well within the time to live.
 */

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type Collection, type Document, MongoServerError, ObjectId } from 'mongodb';
import type { Clock } from '../clock.js';
import { FailedOperationError } from '../errors.js';

/** The lock document's `_id`; migration records get ObjectIds of their own. */
export const LOCK_ID = new ObjectId('000000000000000000000001');

export interface LockDocument {
  _id: ObjectId;
  lock: 'migrations';
  owner: string;
  acquiredAt: Date;
  expiresAt: Date;
}

/** Another migrator holds the lock and did not let go within the time allowed to wait. */
export class MigrationLockedError extends FailedOperationError {
  constructor(
    readonly owner: string,
    readonly expiresAt: Date,
    where: string,
  ) {
    super(
      `migrations of ${where} are locked by ${owner} (held until ${expiresAt.toISOString()} unless renewed); ` +
        'another deploy is migrating this database: try again when it has finished',
    );
    this.name = 'MigrationLockedError';
  }
}

const DUPLICATE_KEY = 11000;
const POLL_MS = 200;

export class MigrationLock {
  /** Who this migrator is, as other migrators will see it. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly collection: Collection<Document>,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  /** Takes the lock, waiting for another holder for up to `waitMs`; `where` names the database for errors. */
  async acquire(waitMs: number, where: string): Promise<void> {
    const giveUpAt = this.clock.now() + waitMs;
    for (;;) {
      const holder = await this.attempt();
      if (holder === 'taken') return;
      if (holder === 'released') continue;
      const left = giveUpAt - this.clock.now();
      if (left <= 0) throw new MigrationLockedError(holder.owner, holder.expiresAt, where);
      await this.clock.sleep(Math.min(POLL_MS, left));
    }
  }

  /** Pushes the expiry forward; false when the lock is no longer this migrator's. */
  async renew(): Promise<boolean> {
    const result = await this.collection.updateOne(
      { _id: LOCK_ID, owner: this.owner },
      { $set: { expiresAt: new Date(this.clock.now() + this.ttlMs) } },
    );
    return result.matchedCount === 1;
  }

  async release(): Promise<void> {
    await this.collection.deleteOne({ _id: LOCK_ID, owner: this.owner });
  }

  /** One try: taken, or who holds it, or 'released' when the holder let go between the two writes. */
  private async attempt(): Promise<'taken' | 'released' | LockDocument> {
    const now = this.clock.now();
    const mine = { owner: this.owner, acquiredAt: new Date(now), expiresAt: new Date(now + this.ttlMs) };
    const takenOver = await this.collection.findOneAndUpdate(
      { _id: LOCK_ID, expiresAt: { $lte: new Date(now) } },
      { $set: mine },
    );
    if (takenOver) return 'taken';
    try {
      await this.collection.insertOne({ _id: LOCK_ID, lock: 'migrations', ...mine });
      return 'taken';
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
    return (await this.collection.findOne<LockDocument>({ _id: LOCK_ID })) ?? 'released';
  }
}
