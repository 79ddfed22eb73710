/**
 * Issue 7: every PDF we hand out is PAdES-signed, and Debian's poppler `pdfsig` — a PDF reader that knows
 * nothing of us — says so: "Signature is Valid" with the authority as signer; one changed byte and it is
 * not (pdfsig exits 0 either way, so its words are read); with our root in an NSS database the signer's
 * certificate is trusted. The record sheet is signed by the service key.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../src/services/issueCertificate.js';
import { recordVerification } from '../../src/services/recordVerification.js';
import { recordSheetPdf } from '../../src/services/recordSheet.js';
import { parseVerificationRecordTemplate } from '../../src/render/verificationRecord/pdf.js';
import { issueBody } from '../support/fixtures.js';
import { handler, KEYS_EXAMPLE, makeContext, phoneRequest, type TestContext } from './support.js';
import { readFileSync } from 'node:fs';
import type { Actor } from '../../src/services/context.js';
import { verifyOffline } from '../../src/cli/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'ecert-pades-'));
let t: TestContext;
let certificatePdf: Uint8Array;
let sheetPdf: Uint8Array;

const issuer: Actor = { orgCode: 'GXZGB', role: 'issuer', tokenId: 'tok_issuer', personId: 'P_issuer', personName: '签发员' };

function pdfsig(bytes: Uint8Array, name: string, ...args: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return execFileSync('pdfsig', [...args, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The PDF with one byte changed inside the signed bytes: the middle of the first /ByteRange part (the pages). */
function tampered(pdf: Uint8Array): Uint8Array {
  const range = /\/ByteRange \[0 (\d+) (\d+) (\d+)/.exec(new TextDecoder('latin1').decode(pdf));
  const copy = pdf.slice();
  const at = Math.floor(Number(range![1]) / 2);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

beforeAll(async () => {
  t = await makeContext({ path: join(dir, 'db.sqlite') });
  const { certificate } = await issueCertificate(t.ctx, issuer, issueBody() as never);
  certificatePdf = (await t.ctx.certificates.pdf(certificate.number))!;
  const { record } = await recordVerification(t.ctx, handler, phoneRequest());
  const template = parseVerificationRecordTemplate(JSON.parse(readFileSync(join(import.meta.dirname, '../../templates/verification-record.json'), 'utf8')));
  sheetPdf = (await recordSheetPdf(t.ctx, handler, record.id, template)).pdf;
}, 60_000);
afterAll(() => t?.close());

describe('PAdES signatures (pdfsig)', () => {
  it('the certificate: valid, signed by the authority, over the whole file but the signature, ETSI.CAdES.detached', () => {
    const out = pdfsig(certificatePdf, 'cert.pdf');
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Signer Certificate Common Name: 广西壮族自治区职称改革工作领导小组办公室');
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Signing Hash Algorithm: SHA-256');
    expect(out).toContain('Total document signed');
  });

  it('one changed byte breaks it', () => {
    const out = pdfsig(tampered(certificatePdf), 'cert-tampered.pdf');
    expect(out).not.toContain('Signature is Valid');
    expect(out).toContain('Signature Validation: Digest Mismatch.');
  });

  it('with our root in an NSS database, the signer certificate is trusted', () => {
    const nss = join(dir, 'nss');
    execFileSync('mkdir', ['-p', nss]);
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'ecert-root', '-t', 'CT,C,C', '-i', join(KEYS_EXAMPLE, 'root.pem')]);
    const out = pdfsig(certificatePdf, 'cert-nss.pdf', '-nssdir', `sql:${nss}`);
    expect(out).toContain('Signature is Valid');
    expect(out).toContain('Certificate Validation: Certificate is Trusted.');
    const untrusted = pdfsig(certificatePdf, 'cert-untrusted.pdf');
    expect(untrusted).not.toContain('Certificate is Trusted');
  });

  it('the verification record sheet: valid, signed by the service key; one changed byte breaks it', () => {
    const out = pdfsig(sheetPdf, 'sheet.pdf');
    expect(out).toContain('Signature is Valid');
    expect(out).toMatch(/Signer Certificate Common Name: .+/);
    expect(pdfsig(tampered(sheetPdf), 'sheet-tampered.pdf')).toContain('Signature Validation: Digest Mismatch.');
  });

  it('the offline CLI verifier reports the PDF signature beside the token checks', async () => {
    const rootPem = readFileSync(join(KEYS_EXAMPLE, 'root.pem'), 'utf8');
    const good: string[] = [];
    writeFileSync(join(dir, 'cli.pdf'), certificatePdf);
    expect(await verifyOffline(join(dir, 'cli.pdf'), rootPem, (l) => good.push(l))).toBe(0);
    for (const name of ['pdf_byte_range', 'pdf_signature', 'pdf_chain', 'pdf_signer']) expect(good.some((l) => l.startsWith(`✓ ${name}:`)), name).toBe(true);

    const bad: string[] = [];
    writeFileSync(join(dir, 'cli-tampered.pdf'), tampered(certificatePdf));
    expect(await verifyOffline(join(dir, 'cli-tampered.pdf'), rootPem, (l) => bad.push(l))).toBe(1);
    expect(bad.some((l) => l.startsWith('✗ pdf_signature:'))).toBe(true);
  });

  it('the signed certificate still carries its token and still renders (pdftotext)', () => {
    writeFileSync(join(dir, 'text.pdf'), certificatePdf);
    expect(execFileSync('pdftotext', [join(dir, 'text.pdf'), '-'], { encoding: 'utf8' })).toContain('张三丰');
  });
});
