/** Request bodies the e2e tests start from. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './server.js';

export function photoDataUrl(): string {
  const bytes = readFileSync(join(ROOT, 'test/fixtures/photo.jpg'));
  return `data:image/jpeg;base64,${bytes.toString('base64')}`;
}

/** A direct issuance's body, with the holder's photo and a basis; `photo: false` leaves the photo out (refused since issue 13 item 6). */
export function issueBody(overrides: { name?: string; idNumber?: string; gender?: 'male' | 'female'; photo?: boolean } = {}) {
  return {
    holder: {
      name: overrides.name ?? '张三丰',
      gender: overrides.gender ?? 'male',
      idType: 'resident_id_card',
      idNumber: overrides.idNumber ?? '450102198005120019',
      ...(overrides.photo === false ? {} : { photo: photoDataUrl() }),
    },
    title: { series: 'engineering', name: '高级工程师', specialty: '电气工程' },
    original: { acquiredOn: '2015-12-30', method: 'evaluation', evaluatingBody: '湖南省工程技术高级职务评审委员会', certificateNumber: 'HN2015-00123' },
    decision: { number: '桂职办〔2026〕15号', decidedOn: '2026-03-18' },
    // Issue 13 item 6: a direct issuance names the authority's decision outside the workflow.
    basis: { decisionNumber: '桂职办〔2026〕15号', decidedOn: '2026-03-18', reason: '2019年经确认的职称，补发电子证书' },
  };
}

/** 李四's 核实 record: a phone call to the Hunan HR department on `calledAt` (attachment 2, 四(三)). */
export function phoneRecordBody(overrides: Record<string, unknown> = {}, calledAt = '2026-11-20T10:30:00+08:00') {
  return {
    subject: { holderName: '李四', idNumber: '450103198501010026', titleName: '高级工程师', evaluatingBody: '湖南省工程技术高级职务评审委员会', acquiredOn: '2015-12-30' },
    method: 'phone',
    phone: { organisation: '湖南省人力资源和社会保障厅', position: '科员', name: '王五', number: '0731-84900000', calledAt },
    checkedAt: calledAt,
    result: 'genuine',
    record: '电话核实，对方确认该同志于2015年12月取得高级工程师资格。',
    handler: { name: '赵六' },
    ...overrides,
  };
}
