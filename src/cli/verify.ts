/**
 * @module cli/verify
 * The offline verifier: takes a certificate PDF (its attached certificate.jws), a bare token, or a QR URL,
 * and checks the signature against a root certificate the user trusts — no trust in our server needed.
 * A URL is the one case that goes online: it fetches the token behind the link, then checks it here, and
 * asks the server for revocation (which no offline check can know).
 */
import { existsSync, readFileSync } from 'node:fs';
import { verifyCertificateToken } from '../crypto/jws.js';
import { extractCertificateToken } from '../render/certificatePdf.js';
import { formatChineseDate } from '../domain/chineseDate.js';

type Print = (line: string) => void;

async function tokenFrom(subject: string, print: Print): Promise<{ token: string; revocation?: string } | undefined> {
  if (/^https?:\/\//i.test(subject)) {
    const url = new URL(subject);
    const match = /^\/v\/([^/]+)$/.exec(url.pathname);
    if (!match) return undefined;
    const s = url.searchParams.get('s') ?? '';
    const tokenRes = await fetch(`${url.origin}/v/${match[1]}/token?s=${encodeURIComponent(s)}`);
    if (!tokenRes.ok) {
      print(`✗ 服务器未返回证书令牌 / server returned no token (${tokenRes.status})`);
      return undefined;
    }
    const statusRes = await fetch(subject, { headers: { Accept: 'application/json' } });
    const status = ((await statusRes.json()) as { status?: string }).status;
    return { token: (await tokenRes.text()).trim(), ...(status ? { revocation: status } : {}) };
  }
  if (existsSync(subject)) {
    const bytes = new Uint8Array(readFileSync(subject));
    if (subject.toLowerCase().endsWith('.pdf') || new TextDecoder().decode(bytes.subarray(0, 5)) === '%PDF-') {
      const token = await extractCertificateToken(bytes);
      if (!token) print('✗ PDF 中没有 certificate.jws 附件 / the PDF carries no certificate.jws attachment');
      return token ? { token } : undefined;
    }
    return { token: new TextDecoder().decode(bytes).trim() };
  }
  return { token: subject.trim() };
}

/** @example process.exitCode = await verifyOffline('ecert.pdf', rootPem, console.log); */
export async function verifyOffline(subject: string, rootPem: string, print: Print): Promise<number> {
  const source = await tokenFrom(subject, print);
  if (!source) {
    print('结论 / verdict: 无效 INVALID');
    return 1;
  }
  const result = await verifyCertificateToken(source.token, { rootPem });
  for (const check of result.checks) print(`${check.ok ? '✓' : '✗'} ${check.name}: ${check.message.zh} / ${check.message.en}`);
  const claims = result.payload as
    | { number?: string; holder?: { name?: string; idNumberMasked?: string }; title?: { name?: string; specialty?: string }; original?: { acquiredOn?: string }; authority?: { name?: string }; decision?: { number?: string } }
    | undefined;
  if (result.valid && claims) {
    print(`证书编号 number: ${claims.number}`);
    print(`持证人 holder: ${claims.holder?.name} (${claims.holder?.idNumberMasked})`);
    print(`职称 title: ${claims.title?.name}，专业 specialty: ${claims.title?.specialty}`);
    if (claims.original?.acquiredOn) print(`原取得时间 acquired: ${formatChineseDate(claims.original.acquiredOn)}`);
    print(`确认机构 authority: ${claims.authority?.name}，文号 decision: ${claims.decision?.number}`);
  }
  if (source.revocation && source.revocation !== 'valid') {
    print(`✗ 服务器状态 server status: ${source.revocation}`);
    print('结论 / verdict: 无效 NOT VALID');
    return 1;
  }
  if (!result.valid) {
    print('结论 / verdict: 无效 INVALID');
    return 1;
  }
  print(source.revocation ? '✓ 服务器确认未撤销 / server confirms not revoked' : '注意：离线核验无法得知是否已撤销，请扫码或访问核验页。Offline checks cannot see revocation.');
  print('结论 / verdict: 签名有效 VALID');
  return 0;
}
