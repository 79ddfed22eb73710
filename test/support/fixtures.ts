/** Request bodies the e2e tests start from. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './server.js';

export function photoDataUrl(): string {
  const bytes = readFileSync(join(ROOT, 'test/fixtures/photo.jpg'));
  return `data:image/jpeg;base64,${bytes.toString('base64')}`;
}

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
  };
}
