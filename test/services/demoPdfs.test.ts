/**
 * Issue 12 A4: a service running on the public demo root marks every PDF it makes 演示 / DEMO — the mark is
 * drawn before the PAdES signature, so pdfsig still says the file is intact —, and a service on real keys
 * makes PDFs without it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVerificationRecordTemplate } from '../../src/render/verificationRecord/pdf.js';
import type { Actor } from '../../src/services/context.js';
import { issueCertificate } from '../../src/services/issueCertificate.js';
import { recordSheetPdf } from '../../src/services/recordSheet.js';
import { recordVerification } from '../../src/services/recordVerification.js';
import { makeChain } from '../crypto/fixtures.js';
import { issueBody } from '../support/fixtures.js';
import { handler, makeContext, phoneRequest, type TestContext } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'ecert-demo-pdfs-'));
const issuer: Actor = { orgCode: 'GXZGB', role: 'issuer', tokenId: 'tok_issuer', personId: 'P_issuer', personName: '签发员' };
const recordTemplate = parseVerificationRecordTemplate(JSON.parse(readFileSync(join(import.meta.dirname, '../../templates/verification-record.json'), 'utf8')));

let demo: TestContext;
let real: TestContext;

function written(bytes: Uint8Array, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
const text = (path: string): string => execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
const pdfsig = (path: string): string => execFileSync('pdfsig', [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

async function certificatePdf(t: TestContext): Promise<Uint8Array> {
  const { certificate } = await issueCertificate(t.ctx, issuer, issueBody() as never);
  return (await t.ctx.certificates.pdf(certificate.number))!;
}

async function sheetPdf(t: TestContext): Promise<Uint8Array> {
  const { record } = await recordVerification(t.ctx, handler, phoneRequest());
  return (await recordSheetPdf(t.ctx, handler, record.id, recordTemplate)).pdf;
}

beforeAll(async () => {
  demo = await makeContext();
  // The same service on a chain of its own, whose root is no demo root (made now, so signing runs on the clock).
  real = await makeContext({ now: () => new Date() });
  const chain = await makeChain();
  expect(chain.store.isDemo).toBe(false);
  real.ctx.trust = () => Promise.resolve(chain.store);
}, 60_000);
afterAll(() => {
  demo?.close();
  real?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PDFs made on the demo keys', () => {
  it('the certificate says 演示证书 DEMO on its face, and its signature is still valid', async () => {
    const path = written(await certificatePdf(demo), 'demo-certificate.pdf');
    expect(text(path)).toContain('演示证书DEMO—演示系统生成，不具法律效力');
    const signature = pdfsig(path);
    expect(signature).toContain('Signature Validation: Signature is Valid.');
    expect(signature).toContain('Total document signed');
  });

  it('the verification record sheet says 演示记录单 DEMO, and its signature is still valid', async () => {
    const path = written(await sheetPdf(demo), 'demo-record.pdf');
    expect(text(path)).toContain('演示记录单DEMO—演示系统生成，不具法律效力');
    expect(pdfsig(path)).toContain('Signature Validation: Signature is Valid.');
  });
});

describe('PDFs made on real keys', () => {
  it('carry no demo mark, and are signed', async () => {
    const made = [['real-certificate.pdf', await certificatePdf(real), '张三丰'], ['real-record.pdf', await sheetPdf(real), '李四']] as const;
    for (const [name, bytes, holder] of made) {
      const path = written(bytes, name);
      const words = text(path);
      expect(words, name).toContain(holder);
      for (const word of ['演示', 'DEMO', '不具法律效力']) expect(words, `${name}: ${word}`).not.toContain(word);
      expect(pdfsig(path), name).toContain('Signature is Valid');
    }
  });
});
