import { describe, expect, it } from 'vitest';
import { claimedTitle, disagreements, normaliseName } from '../../src/domain/verificationMatch.js';

const claimed = { titleName: '高级工程师', evaluatingBody: '湖南省工程技术高级职务评审委员会', acquiredOn: '2015-12-30' };

describe('a 核实 record against the case (四(三))', () => {
  it('agrees when title, body and date are the same, spaces and full-width forms aside', () => {
    expect(disagreements(claimed, claimed)).toEqual([]);
    expect(disagreements({ titleName: ' 高级 工程师　', evaluatingBody: '湖南省工程技术高级职务评审委员会\n', acquiredOn: ' 2015-12-30' }, claimed)).toEqual([]);
    expect(normaliseName('中国（ＣＨＩＮＡ）评委会')).toBe(normaliseName('中国(china)评委会'));
  });

  it('names each disagreement in words, and forgives no abbreviation or other day', () => {
    const found = disagreements({ titleName: '高工', evaluatingBody: '湖南省高评委', acquiredOn: '2015-12-31' }, claimed);
    expect(found.map((d) => d.field)).toEqual(['titleName', 'evaluatingBody', 'acquiredOn']);
    expect(found[0]!.message.zh).toBe('核实记录的职称名称（高工）与申请（高级工程师）不一致');
    expect(found[1]!.message.zh).toBe('核实记录的评审机构（湖南省高评委）与申请（湖南省工程技术高级职务评审委员会）不一致');
    expect(found[2]!.message.zh).toBe('核实记录的取得时间（2015年12月31日）与申请（2015年12月30日）不一致');
    expect(found[2]!.message.en).toContain('acquisition date (2015-12-31)');
  });

  it('takes the case’s evaluating body from its committee, or else from the original employer', () => {
    const form = {
      eligibility: { title: { series: 'engineering', name: '工程师' }, obtained: { region: 'outside', method: 'employer_appointment', on: '2018-07-01', committee: null } },
      applicant: { originalEmployer: '湖南省电力设计院' },
    } as unknown as Parameters<typeof claimedTitle>[0];
    expect(claimedTitle(form)).toEqual({ titleName: '工程师', evaluatingBody: '湖南省电力设计院', acquiredOn: '2018-07-01' });
  });
});
