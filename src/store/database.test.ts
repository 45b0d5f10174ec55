import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { MIGRATIONS } from './schema.js';

describe('openDatabase', () => {
  it('opens the file in WAL mode with every migration applied, once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'waggle-db-')), 'waggle.db');
    const first = openDatabase(file);
    expect(first.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(first.sqlite.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    first.sqlite
      .prepare("INSERT INTO deliveries VALUES ('d1', 'push', 1, 'ignored', NULL, NULL, '{}')")
      .run();
    await first.db.destroy();

    // Opening again applies nothing twice (an ALTER TABLE run again would throw) and keeps the rows.
    const again = openDatabase(file);
    expect(again.sqlite.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(again.sqlite.prepare('SELECT id FROM deliveries').all()).toEqual([{ id: 'd1' }]);
    await again.db.destroy();
  });
});
