/**
 * The application form page's fields ↔ the JSON body: the committee's online query route (二(三)1(5)
 * "或在线查询途径", issue 13 item 9) is carried both ways, and a blank field is null, not "".
 */
import { describe, expect, it } from 'vitest';
import { applicationFormBody, applicationFormValues } from '../../src/http/pages/caseForm.js';

const fields = (onlineQueryUrl: string) => ({
  'eligibility.obtained.region': 'central',
  'eligibility.obtained.method': 'evaluation',
  'eligibility.obtained.committee.name': '中国石油天然气集团公司工程技术中级评审委员会',
  'eligibility.obtained.committee.filed': 'on',
  'eligibility.obtained.committee.onlineQueryUrl': onlineQueryUrl,
});

describe('application form: the committee’s online query route (二(三)1(5))', () => {
  it('is sent with the committee, and a blank one is null', () => {
    const body = (v: Record<string, string>) => (applicationFormBody(v).body as { eligibility: { obtained: { committee: unknown } } }).eligibility.obtained.committee;
    expect(body(fields('https://example.gov.cn/c/1'))).toEqual({ name: '中国石油天然气集团公司工程技术中级评审委员会', filed: true, onlineQueryUrl: 'https://example.gov.cn/c/1' });
    expect(body(fields('  '))).toMatchObject({ onlineQueryUrl: null });
  });

  it('is filled back into the form when the case is edited', () => {
    const { body } = applicationFormBody(fields('https://example.gov.cn/c/1'));
    const values = applicationFormValues(body as Parameters<typeof applicationFormValues>[0]);
    expect(values['eligibility.obtained.committee.onlineQueryUrl']).toBe('https://example.gov.cn/c/1');
  });
});

describe('application form: 出生年月 (attachment 1, issue 13 item 15)', () => {
  const applicant = (v: Record<string, string>) => (applicationFormBody(v).body as { applicant: { birthMonth: unknown } }).applicant;
  it('is sent as the month given, and a blank one is null (a resident ID number carries it)', () => {
    expect(applicant({ 'applicant.idType': 'passport', 'applicant.birthMonth': '1979-06' }).birthMonth).toBe('1979-06');
    expect(applicant({ 'applicant.idType': 'resident_id_card', 'applicant.birthMonth': '' }).birthMonth).toBeNull();
  });

  it('is filled back into the form when the case is edited', () => {
    const { body } = applicationFormBody({ 'applicant.idType': 'passport', 'applicant.birthMonth': '1979-06' });
    expect(applicationFormValues(body as Parameters<typeof applicationFormValues>[0])['applicant.birthMonth']).toBe('1979-06');
  });
});
