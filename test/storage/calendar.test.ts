/**
 * storage/calendar on a real SQLite file: an admin's working-day overrides (one per date, set again
 * replaces, removed deletes) and year announcements (one per year), read back in date/year order.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CalendarRepository, type StoredAnnouncement, type StoredOverride } from '../../src/storage/calendar.js';
import { ConstraintError } from '../../src/storage/driver.js';
import { HOSTILE, LONG, openStore, RARE, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('calendar');
let store: Store;
let calendar: CalendarRepository;

const override = (date: string, overrides: Partial<StoredOverride> = {}): StoredOverride => ({ date, kind: 'holiday', note: `春节${RARE}`, setBy: 'P_gx', setAt: '2026-11-28T04:00:00.000Z', ...overrides });
const year = (y: number, overrides: Partial<StoredAnnouncement> = {}): StoredAnnouncement => ({ year: y, national: true, regional: false, note: `国办发明电${RARE}`, setBy: 'P_gx', setAt: '2026-11-28T04:00:00.000Z', ...overrides });

beforeEach(async () => {
  store?.close();
  store = await openStore(tmp.dir, `calendar-${Math.random().toString(36).slice(2)}.db`, { seed: false });
  calendar = new CalendarRepository(store.driver);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('CalendarRepository overrides', () => {
  it('are empty in a new database', async () => {
    expect(await calendar.overrides()).toEqual([]);
    expect(await calendar.announcements()).toEqual([]);
  });

  it('round-trip every field, in date order', async () => {
    await store.driver.batch([calendar.setStatement(override('2027-02-10')), calendar.setStatement(override('2027-02-06', { kind: 'workday', note: '调休上班' }))]);
    expect(await calendar.overrides()).toEqual([
      { date: '2027-02-06', kind: 'workday', note: '调休上班', setBy: 'P_gx', setAt: '2026-11-28T04:00:00.000Z' },
      { date: '2027-02-10', kind: 'holiday', note: `春节${RARE}`, setBy: 'P_gx', setAt: '2026-11-28T04:00:00.000Z' },
    ]);
  });

  it('set again replaces the date\'s override (one per date); remove deletes only that date', async () => {
    await store.driver.batch([calendar.setStatement(override('2027-10-01')), calendar.setStatement(override('2027-10-02'))]);
    await store.driver.batch([calendar.setStatement(override('2027-10-01', { kind: 'workday', note: '改', setBy: 'P_nn', setAt: 't2' }))]);
    await store.driver.batch([calendar.removeStatement('2027-10-02'), calendar.removeStatement('2099-01-01')]);
    expect(await calendar.overrides()).toEqual([{ date: '2027-10-01', kind: 'workday', note: '改', setBy: 'P_nn', setAt: 't2' }]);
  });

  it('an unknown kind is refused as ConstraintError and the batch writes nothing', async () => {
    await expect(store.driver.batch([calendar.setStatement(override('2027-05-01')), calendar.setStatement(override('2027-05-02', { kind: 'weekend' as 'holiday' }))])).rejects.toBeInstanceOf(
      ConstraintError,
    );
    expect(await calendar.overrides()).toEqual([]);
  });

  it('keep hostile and very long notes verbatim', async () => {
    await store.driver.batch([calendar.setStatement(override(HOSTILE, { note: LONG, setBy: HOSTILE }))]);
    expect(await calendar.overrides()).toEqual([{ date: HOSTILE, kind: 'holiday', note: LONG, setBy: HOSTILE, setAt: '2026-11-28T04:00:00.000Z' }]);
  });

  it('40 dates set at once, each twice, end with one override per date and the last write of each', async () => {
    const dates = Array.from({ length: 40 }, (_, i) => `2028-01-${String(i % 28 + 1).padStart(2, '0')}T${i}`);
    await Promise.all(dates.flatMap((d) => [store.driver.batch([calendar.setStatement(override(d, { note: 'first' }))]), store.driver.batch([calendar.setStatement(override(d, { note: 'second' }))])]));
    const stored = await calendar.overrides();
    expect(stored.map((o) => o.date)).toEqual([...dates].sort());
    expect(new Set(stored.map((o) => o.note))).toEqual(new Set(['second']));
  });
});

describe('CalendarRepository announcements', () => {
  it('round-trip both flags (0/1 as booleans) and every field, in year order; announce again replaces', async () => {
    await store.driver.batch([calendar.announceStatement(year(2028, { national: false, regional: true })), calendar.announceStatement(year(2027))]);
    await store.driver.batch([calendar.announceStatement(year(2028, { national: true, regional: true, note: HOSTILE, setBy: 'P_nn', setAt: 't9' }))]);
    expect(await calendar.announcements()).toEqual([
      { year: 2027, national: true, regional: false, note: `国办发明电${RARE}`, setBy: 'P_gx', setAt: '2026-11-28T04:00:00.000Z' },
      { year: 2028, national: true, regional: true, note: HOSTILE, setBy: 'P_nn', setAt: 't9' },
    ]);
  });
});
