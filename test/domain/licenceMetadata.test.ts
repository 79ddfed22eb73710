/**
 * The 电子证照 metadata set (issue 19 item 4): the mapping from a certificate, with and without an identifier,
 * the China date of issue, the export period's bounds and refusals, and the CSV's formula-like cells defused.
 */
import { describe, expect, it } from 'vitest';
import { licenceMetadataOf, metadataPeriod } from '../../src/domain/licenceMetadata.js';
import { buildLicenceIdentifier, DEMO_AUTHORITY_USCCS, DEMO_LICENCE_TYPE_CODE } from '../../src/domain/licenceIdentifier.js';
import { DomainError } from '../../src/domain/errors.js';
import { licenceMetadataCsv } from '../../src/http/downloads/licenceMetadataCsv.js';
import { certificate } from '../storage/repoSupport.js';

const identifier = buildLicenceIdentifier({ typeCode: DEMO_LICENCE_TYPE_CODE, authorityCode: DEMO_AUTHORITY_USCCS.GXZGB!, serial: 7, version: '001' });

describe('licenceMetadataOf', () => {
  it('takes type, authority code and version from the identifier; the day of issue in China', () => {
    // 2026-11-28T20:00Z is already 29 November in China.
    const m = licenceMetadataOf(certificate('26META000001', { identifier, issuedAt: '2026-11-28T20:00:00.000Z', status: 'revoked' }), 'IGNORED');
    expect(m).toMatchObject({
      identifier,
      licenceType: { code: DEMO_LICENCE_TYPE_CODE, name: '职称电子证书' },
      name: '高级工程师',
      holder: { code: '450102198005120019', codeType: '居民身份证' },
      issuer: { code: DEMO_AUTHORITY_USCCS.GXZGB },
      issuedOn: '2026-11-29',
      validity: { from: '2026-11-29', until: null, text: '长期' },
      status: { code: 'revoked', name: '已撤销' },
      version: '001',
      relatedIdentifiers: [],
    });
  });

  it('a certificate from before identifiers: identifier, type code and version null, the organisation’s USCC now', () => {
    const m = licenceMetadataOf(certificate('26META000002'), DEMO_AUTHORITY_USCCS.NNZGB);
    expect([m.identifier, m.licenceType.code, m.version, m.issuer.code]).toEqual([null, null, null, DEMO_AUTHORITY_USCCS.NNZGB]);
    expect(licenceMetadataOf(certificate('26META000003'), undefined).issuer.code).toBeNull();
  });
});

describe('metadataPeriod', () => {
  it('bounds China days, both ends included', () => {
    expect(metadataPeriod('2026-01-01', '2026-01-01')).toEqual({ fromInstant: '2025-12-31T16:00:00.000Z', toInstant: '2026-01-01T16:00:00.000Z' });
    expect(metadataPeriod('2024-01-01', '2024-12-31').toInstant).toBe('2024-12-31T16:00:00.000Z'); // a leap year's 366 days
  });

  it.each([
    ['2026-02-30', '2026-03-01', 'query.from'],
    ['2026-01-01', 'x', 'query.to'],
    ['2026-03-01', '2026-02-28', 'query.from'],
    ['2024-12-31', '2026-01-01', 'query.to'],
  ])('refuses %s … %s (%s)', (from, to, field) => {
    expect(() => metadataPeriod(from, to)).toThrow(DomainError);
    try {
      metadataPeriod(from, to);
    } catch (error) {
      expect((error as DomainError).field).toBe(field);
      expect((error as DomainError).zh).toMatch(/日期|天/);
    }
  });
});

describe('the metadata CSV', () => {
  it('defuses cells a spreadsheet would run as formulas, whichever element carries them', () => {
    const m = licenceMetadataOf(certificate('26META000004', { identifier, holder: { name: '=HYPERLINK("http://x")', gender: 'male', idType: 'passport', idNumber: '+E1234', idNumberMasked: 'E1**' }, authority: { code: 'GXZGB', name: '@机构' } }), undefined);
    const lines = licenceMetadataCsv([m]).split('\r\n');
    expect(lines[0]!.startsWith('\uFEFF证照标识,')).toBe(true);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[1]).toContain(",'+E1234,");
    expect(lines[1]).toContain(",'@机构,");
  });
});
