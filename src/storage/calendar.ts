/**
 * @module storage/calendar
 * An admin's overrides of the working-day calendar (domain/workingDays.ts), one per date, and the admin's
 * record of which years' arrangements are announced, one per year.
 */
import type { CalendarOverride, YearAnnouncement } from '../domain/workingDays.js';
import { sql, type SqlDriver, type Statement } from './driver.js';

export interface StoredOverride extends CalendarOverride {
  note: string;
  setBy: string;
  setAt: string;
}

export interface StoredAnnouncement extends YearAnnouncement {
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

  async announcements(): Promise<StoredAnnouncement[]> {
    const rows = await this.db.all<{ year: number; national: number; regional: number; note: string; set_by: string; set_at: string }>('SELECT * FROM calendar_years ORDER BY year');
    return rows.map((r) => ({ year: r.year, national: r.national === 1, regional: r.regional === 1, note: r.note, setBy: r.set_by, setAt: r.set_at }));
  }

  announceStatement(a: StoredAnnouncement): Statement {
    return sql(
      `INSERT INTO calendar_years (year, national, regional, note, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (year) DO UPDATE SET national = excluded.national, regional = excluded.regional, note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at`,
      a.year, a.national ? 1 : 0, a.regional ? 1 : 0, a.note, a.setBy, a.setAt,
    );
  }
}
