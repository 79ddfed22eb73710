/**
 * ECERT_LICENCE_TYPE_CODE (issue 19 item 1), in-process: the configured 证照类型代码 is the one every identifier
 * carries (not the demo one), a malformed value stops start-up naming the variable, and blank means unset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../../support/fixtures.js';
import { loadConfig } from '../../../src/entry/config.js';
import { DEMO_AUTHORITY_USCCS, parseLicenceIdentifier } from '../../../src/domain/licenceIdentifier.js';
import { usccCheckCharacter } from '../../../src/domain/uscc.js';
import { openApi, type InProcessApi } from './support.js';

// A type code made here: a USCC with its GB 32100 check character, then 3 digits.
const TYPE_CODE = `${'11100000MB0001234'}${usccCheckCharacter('11100000MB0001234')}007`;
let api: InProcessApi;

beforeAll(async () => {
  api = await openApi({ ECERT_LICENCE_TYPE_CODE: TYPE_CODE.toLowerCase() });
}, 60_000);
afterAll(() => api?.stop());

describe('the configured licence type code', () => {
  it('is in every identifier issued, upper-cased', async () => {
    const res = await api.call(await api.token('NNZGB', 'issuer'), 'POST', '/api/v1/certificates', { json: { ...issueBody(), title: { series: 'engineering', name: '工程师', specialty: '道路桥梁' } } });
    expect(res.status, res.text).toBe(201);
    expect(parseLicenceIdentifier(res.body.identifier)).toMatchObject({ ok: true, parts: { typeCode: TYPE_CODE, authorityCode: DEMO_AUTHORITY_USCCS.NNZGB, serial: 1, version: '001' } });
  });

  it('a malformed one stops start-up naming the variable; blank is unset', () => {
    for (const bad of ['11100000MB0001234X007', '123', `${TYPE_CODE}1`]) {
      expect(() => loadConfig({ ECERT_LICENCE_TYPE_CODE: bad })).toThrow(/ECERT_LICENCE_TYPE_CODE/);
    }
    expect(loadConfig({ ECERT_LICENCE_TYPE_CODE: '  ' }).licenceTypeCode).toBeUndefined();
    expect(loadConfig({}).licenceTypeCode).toBeUndefined();
  });
});
