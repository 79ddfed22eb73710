/**
 * @module cli/wranglerD1
 * A SqlDriver for the CLI that runs each statement through `wrangler d1 execute`, so the administrative
 * commands work on a D1 database too: `--edge local` (the `wrangler dev` state) or `--edge remote` (the
 * deployed database, with the operator's wrangler login). Parameters are inlined as SQL literals, since
 * `wrangler d1 execute` takes no bindings: strings quoted with '' doubling, bytes as X'…' blobs.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConstraintError, type SqlDriver, type SqlValue, type Statement } from '../storage/driver.js';
import { PROJECT_ROOT } from '../entry/nodeContext.js';

export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('not a finite number');
    return String(value);
  }
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString('hex')}'`;
  if (value.includes('\u0000')) throw new RangeError('NUL in a string parameter');
  return `'${value.replace(/'/g, "''")}'`;
}

/** Replaces each `?` outside string literals with its parameter. */
export function inline(statement: Statement): string {
  let i = 0;
  let quoted = false;
  let out = '';
  for (const ch of statement.sql) {
    if (ch === "'") quoted = !quoted;
    if (ch === '?' && !quoted) {
      if (i >= statement.params.length) throw new RangeError('more placeholders than parameters');
      out += sqlLiteral(statement.params[i++]!);
    } else out += ch;
  }
  if (i !== statement.params.length) throw new RangeError('more parameters than placeholders');
  return out;
}

export interface WranglerTarget {
  mode: 'local' | 'remote';
  persistTo?: string | undefined;
  database?: string;
}

/**
 * A local D1 is one SQLite file that a running `wrangler dev` also writes: a statement that meets its lock
 * fails whole (SQLITE_BUSY, nothing applied), so it is safe to run again. Waits 0.1, 0.2, … 3.2 s (6.3 s in all).
 */
const BUSY_RETRIES = 6;
const isBusy = (message: string) => /SQLITE_BUSY|database is locked/i.test(message);

/** @example const driver = createWranglerD1Driver({ mode: 'local' }); */
export function createWranglerD1Driver(target: WranglerTarget): SqlDriver {
  const execute = async <T>(sql: string): Promise<{ results: T[]; meta?: { changes?: number } }[]> => {
    const args = ['d1', 'execute', target.database ?? 'DB', `--${target.mode}`, '--json', '--command', sql];
    if (target.persistTo) args.push('--persist-to', target.persistTo);
    for (let attempt = 0; ; attempt++) {
      const result = spawnSync(join(PROJECT_ROOT, 'node_modules/.bin/wrangler'), args, {
        cwd: PROJECT_ROOT,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
      if (result.status === 0) return JSON.parse(result.stdout) as { results: T[]; meta?: { changes?: number } }[];
      const message = `${result.stdout}\n${result.stderr}`;
      if (/constraint failed/i.test(message)) throw new ConstraintError(message);
      if (target.mode === 'local' && isBusy(message) && attempt < BUSY_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
        continue;
      }
      throw new Error(`wrangler d1 execute failed: ${message.slice(0, 2000)}`);
    }
  };
  const changes = (entry: { meta?: { changes?: number } } | undefined) => ({ changes: entry?.meta?.changes ?? 0 });
  return {
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      return (await execute<T>(inline({ sql, params })))[0]?.results ?? [];
    },
    async first<T>(sql: string, params: readonly SqlValue[] = []) {
      return (await execute<T>(inline({ sql, params })))[0]?.results[0];
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      return changes((await execute(inline({ sql, params })))[0]);
    },
    async batch(statements: readonly Statement[]) {
      // One `execute` with several statements runs as one D1 batch: all or nothing.
      return (await execute(statements.map((s) => `${inline(s)};`).join('\n'))).map(changes);
    },
    async exec(sql: string) {
      await execute(sql);
    },
  };
}
