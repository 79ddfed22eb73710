/**
 * The application form page's fields ↔ the JSON body: the committee's online query route (二(三)1(5)
 * "或在线查询途径", issue 13 item 9) is carried both ways, and a blank field is null, not ""; the original
 * title is one catalogue choice; a refusal is words beside each field (issue 13 item 18).
 */
import { describe, expect, it } from 'vitest';
import { applicationFormBody, applicationFormValues } from '../../src/http/pages/cases/caseForm.js';
import { applicationFormErrors } from '../../src/http/pages/cases/caseFormLabels.js';
import { ApplicationFormSchema } from '../../src/http/applicationFormSchema.js';

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

describe('application form: the original title is chosen from the catalogue (issue 13 item 18)', () => {
  it('one choice `series:name` is the API’s title, and a saved title is chosen again when edited', () => {
    const { body } = applicationFormBody({ 'eligibility.title': 'engineering:高级工程师' });
    const title = (body as { eligibility: { title: unknown } }).eligibility.title;
    expect(title).toEqual({ series: 'engineering', name: '高级工程师' });
    const values = applicationFormValues({ ...(body as Parameters<typeof applicationFormValues>[0]), eligibility: { ...(body as any).eligibility, title: { series: 'engineering', name: '高 级 工 程 师' } } });
    expect(values['eligibility.title']).toBe('engineering:高级工程师');
  });
});

describe('application form: a refusal is words beside each field, not the validator’s text (issue 13 item 18)', () => {
  const refused = (values: Record<string, string>) => {
    const { body, rows } = applicationFormBody(values);
    const parsed = ApplicationFormSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    return applicationFormErrors(parsed.error!, values, rows);
  };

  it('a blank choice asks to choose it; a blank text asks to fill it in', () => {
    const { byField, summary } = refused({ 'eligibility.obtained.method': '', 'eligibility.title': '', 'applicant.graduation.school': '' });
    expect(byField['eligibility.obtained.method']).toEqual({ zh: '请选择取得方式', en: 'Choose how it was obtained' });
    expect(byField['eligibility.title']?.zh).toBe('请选择原职称（职称系列及名称）');
    expect(byField['applicant.graduation.school']?.zh).toBe('请填写毕业院校');
    expect(summary).toContainEqual({ zh: '请选择取得方式', en: 'Choose how it was obtained' });
    const all = JSON.stringify([Object.values(byField), summary]);
    for (const validatorText of ['取值必须是', '过短或过小', '缺少必填字段', 'Invalid', 'expected', 'eligibility.', 'applicant.']) expect(all).not.toContain(validatorText);
  });

  it('a badly written month, date or web address says how to write it; a work-history row is named as shown', () => {
    const { byField } = refused({ 'applicant.workStartedOn': '2007/7', 'eligibility.obtained.on': '2015-13-40', onlineVerificationUrl: 'rst.hunan.gov.cn', 'workHistory.0.from': '', 'workHistory.1.from': '', 'workHistory.2.from': '2022', 'workHistory.2.place': '南宁' });
    expect(byField['applicant.workStartedOn']?.zh).toBe('请按“年-月”填写参加工作时间，如 2007-07');
    expect(byField['eligibility.obtained.on']?.zh).toBe('请按“年-月-日”填写原取得时间，如 2015-12-30');
    expect(byField.onlineVerificationUrl?.zh).toContain('请填写以 http:// 或 https:// 开头的完整网址');
    expect(byField['workHistory.2.from']?.zh).toBe('请按“年-月”填写工作经历第3条 起始年月，如 2007-07');
    expect(byField['workHistory.2.work']?.zh).toBe('请填写工作经历第3条 从事何种专业技术工作');
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
