/**
 * @module storage/calendar
 * An admin's overrides of the working-day calendar (domain/workingDays.ts), one per date.
 */
import type { CalendarOverride } from '../domain/workingDays.js';
import { sql, type SqlDriver, type Statement } from './driver.js';

export interface StoredOverride extends CalendarOverride {
  note: string;
  setBy: string;
  setAt: string;
}

export class CalendarRepository {
  constructor(private readonly db: SqlDriver) {}

  async overrides(): Promise<StoredOverride[]> {
    const rows = await this.db.all<{ date: string; kind: 'holiday' | 'workday'; note: string; set_by: string; set_at: string }>('SELECT * FROM calendar_overrides ORDER BY date');
    return rows.map((r) => ({ date: r.date, kind: r.kind, note: r.note, setBy: r.set_by, setAt: r.set_at }));
  }

  setStatement(o: StoredOverride): Statement {
    return sql(
      `INSERT INTO calendar_overrides (date, kind, note, set_by, set_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at`,
      o.date, o.kind, o.note, o.setBy, o.setAt,
    );
  }

  removeStatement(date: string): Statement {
    return sql('DELETE FROM calendar_overrides WHERE date = ?', date);
  }
}
