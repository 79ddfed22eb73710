/**
 * @module services/pdfSigning
 * Every PDF the service hands out is signed (PAdES, ETSI.CAdES.detached): the certificate by its issuing
 * authority's key — the signature's visible widget lies over the drawn seal —, the verification record
 * sheet and the approval form by the service key (code ECERT, which can sign no certificate). Any PDF
 * reader then shows whether the file is intact, without our server.
 */
import { DomainError } from '../domain/errors.js';
import { signCms, type CmsSigner } from '../crypto/cms.js';
import type { SignatureRequest } from '../render/sign.js';
import { completeSignature } from '../render/sign.js';
import type { TrustStore } from '../crypto/trustStore.js';
import { renderCertificatePdf, type CertificateTemplate } from '../render/certificate/pdf.js';
import type { FontSet } from '../render/fonts.js';
import type { CertificatePdfJob, ServiceContext } from './context.js';

export interface PdfSigner extends CmsSigner {
  name: string;
}

/**
 * Renders with a signature placeholder and signs, or renders unsigned when there is no key to sign with.
 * @example const pdf = await signedPdf((sig) => renderCertificatePdf(doc, fonts, template, sig), signer, { reason, location, signedAt });
 */
export async function signedPdf(
  render: (signature?: SignatureRequest) => Promise<Uint8Array>,
  signer: PdfSigner | undefined,
  about: { reason: string; location: string; signedAt: Date },
): Promise<Uint8Array> {
  if (!signer) return render();
  const prepared = await render({ name: signer.name, ...about });
  return completeSignature(prepared, (parts) => signCms(parts, signer, about.signedAt));
}

/** The service key as a PDF signer, when the deployment has one (`npm run cli -- keys service`). */
export async function serviceSigner(ctx: ServiceContext): Promise<PdfSigner | undefined> {
  const key = await ctx.logSigner?.();
  return key ? { name: key.name, privateKey: key.privateKey, x5c: key.x5c } : undefined;
}

/**
 * Renders and signs one certificate PDF here, with the authority key named by the job: what issuance does
 * in-line on Workers, and what each render worker does on Node (entry/renderWorker.ts).
 * @example const pdf = await renderCertificateJob({ document, signerKid, about }, fonts, template, trust);
 */
export async function renderCertificateJob(job: CertificatePdfJob, fonts: FontSet, template: CertificateTemplate, trust: TrustStore): Promise<Uint8Array> {
  const key = job.signerKid === undefined ? undefined : trust.findByKid(job.signerKid);
  // A render worker started after the key directory changed may lack the key the request chose: the service is
  // not ready to sign with it (503, retry), not a fault.
  if (job.signerKid !== undefined && !key?.privateKey) {
    throw new DomainError('keys_unavailable', {
      zh: `签发密钥 ${job.signerKid} 当前不可用，请稍后重试或联系系统管理员`,
      en: `The signing key ${job.signerKid} is not available at present; retry later or ask the administrator`,
    });
  }
  return signedPdf(
    (signature) => renderCertificatePdf(job.document, fonts, template, signature),
    key?.privateKey ? { name: key.name, privateKey: key.privateKey, x5c: key.x5c } : undefined,
    { reason: job.about.reason, location: job.about.location, signedAt: new Date(job.about.signedAt) },
  );
}
