/**
 * @module services/recordSheet
 * Attachment 2 as a signed PDF: the verification record sheet of one record of the 核实 log, with the
 * record that corrects it (if any) noted and the evidence it keeps (a screenshot, a reply scan) printed,
 * signed by the service key (services/pdfSigning.ts).
 */
import { resultSentence } from '../domain/verificationRecord.js';
import { evidenceOf } from '../storage/verificationRecords.js';
import { renderVerificationRecordPdf, type VerificationRecordTemplate } from '../render/verificationRecord/pdf.js';
import type { Actor, ServiceContext } from './context.js';
import { serviceSigner, signedPdf } from './pdfSigning.js';
import { getVerificationRecord } from './verificationLog.js';

/** @example const pdf = await recordSheetPdf(ctx, handler, 'vr_…', recordTemplate); */
export async function recordSheetPdf(ctx: ServiceContext, actor: Actor, id: string, template: VerificationRecordTemplate): Promise<{ id: string; pdf: Uint8Array }> {
  const view = await getVerificationRecord(ctx, actor, id);
  const successor = view.supersededBy ? (await getVerificationRecord(ctx, actor, view.supersededBy)).record : undefined;
  // 四(三): the screenshot or reply scan is printed on the sheet, not only its hash.
  const ref = evidenceOf(view.record.details);
  const evidence = ref ? await ctx.verificationRecords.evidence(ref.sha256) : undefined;
  const doc = {
    record: view.record,
    evidence,
    resultSentence: resultSentence(view.record.result, view.record.subject).zh,
    supersededBy: successor ? { id: successor.id, createdAt: successor.createdAt } : undefined,
    demo: (await ctx.trust()).isDemo,
  };
  const pdf = await signedPdf((signature) => renderVerificationRecordPdf(doc, ctx.fonts, template, signature), await serviceSigner(ctx), {
    reason: '职称核实情况记录单 Verification record',
    location: view.record.orgCode,
    signedAt: ctx.now(),
  });
  return { id: view.record.id, pdf };
}
