/**
 * @module cli/verifyForm
 * `verify form.pdf`: the approval form's signatures offline (issue 16 item 3; notice 四(二), 四(四)) — the
 * service's, then each organisation's seal, in the order they were added, each with its organisation, USCC,
 * step (from its Reason), signing time and whether it holds and why not; then whether the last signature covers
 * the whole file and locks it. Exit 1 when any signature fails or the last one leaves bytes unsigned.
 */
import { checkPdfSignatures, type CheckedPdfSignature } from '../crypto/pdfSignatures.js';

type Print = (line: string) => void;

/** Text from the file, shown on a terminal: no control or formatting characters (no escape sequences, no bidi tricks). */
export const shown = (text: string): string => text.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 200);

/** An ISO instant in China time, as a clerk reads it. */
export function chinaTime(iso: string | undefined): string {
  if (!iso) return '—';
  const china = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${china.slice(0, 10)} ${china.slice(11, 19)}（北京时间 UTC+8）`;
}

/** The step and the day of the opinion a seal's Reason names, e.g. 签署单位意见（2026年10月12日）. */
function stepOf(reason: string): { step: string; date?: string } {
  const m = /^(.*)（(\d{4}年\d{1,2}月\d{1,2}日)）$/u.exec(reason);
  return m ? { step: m[1]!, date: m[2]! } : { step: reason };
}

function describe(s: CheckedPdfSignature): string[] {
  const { step, date } = stepOf(shown(s.reason));
  const who = s.seal
    ? `${shown(s.seal.name)}（单位代码 code ${shown(s.seal.code)}，统一社会信用代码 USCC ${shown(s.seal.uscc ?? '—')}）`
    : s.kind === 'seal'
      ? `${shown(s.name)}（印章 seal）`
      : `${shown(s.signer ?? s.name)}（服务或机构签名 service or authority signature）`;
  return [
    `${s.ok ? '✓' : '✗'} ${s.position}. ${who}`,
    `    步骤 step: ${step}${date ? `；意见日期 opinion given: ${date}` : ''}`,
    `    签署时间 signed: ${chinaTime(s.signedAt)}`,
    s.ok ? '    有效 valid' : `    无效 NOT VALID: ${s.problems.map((p) => `${p.zh} / ${p.en}`).join('；')}`,
  ];
}

/** @example process.exitCode = await verifySignedPdf(formBytes, rootPem, console.log); */
export async function verifySignedPdf(pdf: Uint8Array, rootPem: string, print: Print): Promise<number> {
  const { signatures, lastCoversWholeFile, locked } = await checkPdfSignatures(pdf, rootPem);
  if (signatures.length === 0) {
    print('✗ PDF 没有电子签名 / the PDF carries no signature');
    print('结论 / verdict: 无效 INVALID');
    return 1;
  }
  print(`PDF 共有 ${signatures.length} 个电子签名，按签署先后 / ${signatures.length} signatures, in the order they were added:`);
  for (const s of signatures) describe(s).forEach((line) => print(line));
  print(
    lastCoversWholeFile
      ? '✓ 最后一个签名覆盖整个文件 / the last signature covers the whole file'
      : '✗ 最后一个签名之后文件又被追加或改动 / the file was appended to or changed after the last signature',
  );
  print(locked ? '✓ 最后一个签名锁定文件，不允许再改动 / the last signature locks the document: no further changes' : '注意：最后一个签名未锁定文件（案件尚未作出最终决定）/ note: the last signature does not lock the document (no final decision yet)');
  const valid = lastCoversWholeFile && signatures.every((s) => s.ok);
  print(valid ? '结论 / verdict: 全部签名有效 VALID' : '结论 / verdict: 无效 NOT VALID');
  return valid ? 0 : 1;
}
