/**
 * How the Node entry opens a SQLite file: WAL, synced at checkpoints, foreign keys on, a busy timeout, and a
 * WAL checkpointed every 4,000 pages (see openDatabase for the measurement behind that number).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/entry/nodeContext.js';

const dir = mkdtempSync(join(tmpdir(), 'ecert-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('sets WAL, synchronous NORMAL, foreign keys, busy timeout and a 4,000-page checkpoint', () => {
    const { db } = openDatabase(join(dir, 'a.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    } finally {
      db.close();
    }
  });

  it('checkpoints once the WAL passes 4,000 pages, not before, and loses no row', () => {
    const path = join(dir, 'b.db');
    const { db } = openDatabase(path);
    try {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
      const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
      const page = 'x'.repeat(3000); // one transaction per row, a page or more each
      const pages = () => statSync(`${path}-wal`).size / 4096;
      let most = 0;
      for (let i = 0; i < 6000; i++) {
        insert.run(page);
        if (i % 50 === 0) most = Math.max(most, pages());
      }
      // The WAL grew past SQLite's default 1,000 pages before its first checkpoint, and was reset near 4,000:
      // it never kept growing.
      expect(most).toBeGreaterThan(3000);
      expect(most).toBeLessThan(4200);
      expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 6000 });
    } finally {
      db.close();
    }
  });
});
