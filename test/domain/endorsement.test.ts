/** When the unit may endorse (二(二)2): after the notice, on a final end, every objection resolved, none upheld. */
import { describe, expect, it } from 'vitest';
import { endorsementWait } from '../../src/domain/endorsement.js';

const notice = { end: '2026-10-10', provisional: false };

describe('endorsementWait (二(二)2)', () => {
  it('during the notice: opens the day after its last working day', () => {
    expect(endorsementWait(notice, [], '2026-10-10')).toMatchObject({ clause: '二(二)2', opensOn: '2026-10-11', message: { zh: '公示期至2026年10月10日止，2026年10月11日起可签署单位意见' } });
    expect(endorsementWait({ end: '2026-12-31', provisional: false }, [], '2026-12-30')?.opensOn).toBe('2027-01-01');
  });
  it('after the notice: open, unless an objection is open or upheld, or the end is provisional', () => {
    expect(endorsementWait(notice, [{ resolution: { upheld: false } }], '2026-10-11')).toBeUndefined();
    expect(endorsementWait(notice, [{ resolution: null }], '2026-10-12')).toMatchObject({ opensOn: null });
    expect(endorsementWait(notice, [{ resolution: { upheld: true } }], '2026-10-12')?.message.zh).toContain('不予确认');
    expect(endorsementWait({ ...notice, provisional: true }, [], '2026-10-12')).toMatchObject({ opensOn: null });
    expect(endorsementWait(null, [], '2026-10-12')).toMatchObject({ opensOn: null });
  });
});
