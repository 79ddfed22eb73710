/**
 * @module test/crypto/chainDates
 * A chain check that fails on time says when in China time, as the verification page and the CLI show it
 * to a person: 23:30 UTC is 07:30 the next morning in China (issue 12 A3).
 */
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { createRootCa } from '../../src/crypto/createRootCa.js';
import { createAuthorityCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { checkIssuedByRoot, checkRoot } from '../../src/crypto/lib/chain.js';

const AT = new Date('2026-03-18T23:30:00Z');

describe('chain checks name the time in China time', () => {
  it('an expired root', async () => {
    const old = await createRootCa({ commonName: 'Old root', validYears: 1, notBefore: new Date('2001-01-01T00:00:00Z') });
    const problem = await checkRoot(new X509Certificate(old.certPem), AT);
    expect(problem).toEqual({ zh: '根证书在 2026年3月19日 07:30 不在有效期内', en: 'the root certificate is not valid at 2026-03-19 07:30 (UTC+8)' });
  });

  it('an authority certificate outside its validity', async () => {
    const root = await createRootCa({ commonName: 'Test root', validYears: 30 });
    const issued = await createAuthorityCertificate({ root, code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室', levels: ['junior'], validYears: 1 });
    const cert = new X509Certificate(issued.certPem);
    const late = new Date(cert.notAfter.getTime() + 86_400_000);
    const problem = await checkIssuedByRoot(cert, new X509Certificate(root.certPem), late);
    const china = new Date(late.getTime() + 8 * 3600_000).toISOString();
    expect(problem?.en).toBe(`the authority certificate is not valid at ${china.slice(0, 10)} ${china.slice(11, 16)} (UTC+8)`);
    expect(problem?.zh).toMatch(/^签发机构证书在 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 不在有效期内$/);
    expect(problem?.zh).not.toContain('Z');
  });
});
