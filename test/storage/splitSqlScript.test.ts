/** The D1 driver's script splitter: one statement per prepare, triggers kept whole. */
import { describe, expect, it } from 'vitest';
import { splitSqlScript } from '../../src/storage/drivers/d1.js';
import { migrationsFromDisk } from '../../src/entry/nodeContext.js';

describe('splitSqlScript', () => {
  it('splits on semicolons outside quotes and comments, dropping comments', () => {
    expect(splitSqlScript("-- a comment; with a semicolon\nCREATE TABLE t (a TEXT DEFAULT 'x;y', \"b;\" INT); /* c; */ INSERT INTO t VALUES ('it''s;');\n-- trailing")).toEqual([
      "CREATE TABLE t (a TEXT DEFAULT 'x;y', \"b;\" INT)",
      "INSERT INTO t VALUES ('it''s;')",
    ]);
  });

  it('keeps CREATE TRIGGER … BEGIN …; …; END whole, CASE … END included', () => {
    const trigger = `CREATE TRIGGER t_no_update BEFORE UPDATE ON t
BEGIN
  SELECT CASE WHEN NEW.a = 'x' THEN RAISE(ABORT, 'no; never') END;
  SELECT RAISE(ABORT, 'append-only');
END`;
    expect(splitSqlScript(`CREATE TABLE t (a);\n${trigger};\nCREATE TEMP TRIGGER u AFTER INSERT ON t BEGIN SELECT 1; END;\nSELECT 2`)).toEqual([
      'CREATE TABLE t (a)',
      trigger,
      'CREATE TEMP TRIGGER u AFTER INSERT ON t BEGIN SELECT 1; END',
      'SELECT 2',
    ]);
  });

  it('splits every migration into whole statements', () => {
    for (const migration of migrationsFromDisk()) {
      for (const statement of splitSqlScript(migration.sql)) {
        expect(statement, migration.name).toMatch(/^(CREATE|INSERT|ALTER|UPDATE|DROP)\b/);
        if (/^CREATE TRIGGER/.test(statement)) expect(statement).toMatch(/\bEND$/);
      }
    }
  });
});
