/**
 * @module services/applications/materials
 * A case's materials: the gate that refuses a case without them (二(三), 四(三)), adding a file, reading one.
 */
import type { Application, Material } from '../../domain/application.js';
import type { Reason } from '../../domain/eligibility.js';
import { DomainError } from '../../domain/errors.js';
import { parseEvidence } from '../../domain/evidence.js';
import { MATERIAL_NAMES, missingMaterials, uploadableBy, type MaterialKind, type MaterialsGate } from '../../domain/materials.js';
import { inspectPhoto } from '../../domain/photo.js';
import { sha256Hex } from '../../lib/bytes.js';
import type { Actor, ServiceContext } from '../context.js';
import { newId, visibleCase } from './shared.js';
import { transition } from './transition.js';
import { checkedAgainst, genuineAmong, onFile, type ApplicationView } from './view.js';

const refusedMaterials = (reasons: Reason[], gate: MaterialsGate) =>
  new DomainError(
    'materials_missing',
    {
      zh: `材料不齐，不能${gate === 'submit' ? '提交' : '报送'}：${reasons.map((r) => `${r.message.zh}（${r.clause}）`).join('；')}`,
      en: `Materials are missing, the case cannot be ${gate === 'submit' ? 'submitted' : 'forwarded'}: ${reasons.map((r) => `${r.message.en} (notice ${r.clause})`).join('; ')}`,
    },
    undefined,
    { reasons },
  );

/** Refuses a case whose materials are not complete at the gate (二(三), 四(三)). */
export async function requireMaterials(ctx: ServiceContext, application: Application, gate: MaterialsGate): Promise<void> {
  const [materials, records] = await Promise.all([ctx.applications.materials(application.id), ctx.applications.verificationRecords(application.id)]);
  const checked = checkedAgainst(application, records);
  const reasons = missingMaterials(application.eligibility.materials, onFile(application, materials, genuineAmong(checked)), gate);
  if (reasons.some((r) => r.code === 'missing_verification_record')) {
    // 四(三): say why a linked record does not count, in the reviewer's words.
    const standing = checked.filter((r) => r.result === 'genuine' && r.supersededBy === null);
    reasons.push(...standing.flatMap((r) => r.disagreements.map((d) => ({ clause: '四(三)', code: 'verification_record_disagrees', message: { zh: `${r.id}：${d.message.zh}`, en: `${r.id}: ${d.message.en}` } }))));
  }
  if (reasons.length > 0) throw refusedMaterials(reasons, gate);
}

/**
 * Adds a file to a case's materials: PDF, JPEG or PNG by content, at most 5 MiB; the photo for the
 * e-certificate must also pass the certificate photo's checks (二(三)1(4)).
 */
export async function uploadMaterial(ctx: ServiceContext, actor: Actor, id: string, upload: { item: MaterialKind; filename: string; content: string }, idempotencyKey?: string): Promise<ApplicationView> {
  if (!uploadableBy(actor.role).includes(upload.item)) {
    throw new DomainError('forbidden', { zh: `${MATERIAL_NAMES[upload.item]?.zh ?? upload.item}不由您提供`, en: `${MATERIAL_NAMES[upload.item]?.en ?? upload.item} is not yours to supply` }, 'item');
  }
  const file = await parseEvidence(upload.content, 'content', { zh: `材料“${upload.filename}”`, en: `The material "${upload.filename}"` });
  if (upload.item === 'photo') inspectPhoto(file.bytes, 'content');
  const sha256 = await sha256Hex(file.bytes); // the one hash: it names the file in the store and in the row
  const uploading = transition(ctx, actor, id, 'upload_material', idempotencyKey, async ({ application, at, today }) => {
    const material: Material = {
      id: newId('MT', today),
      item: upload.item,
      filename: upload.filename,
      sha256,
      mediaType: file.mediaType,
      size: file.bytes.length,
      uploadedBy: actor.personId,
      orgCode: actor.orgCode,
      uploadedAt: at,
    };
    return {
      change: { status: application.status },
      opinion: null,
      data: { materialId: material.id, item: material.item, sha256, size: material.size },
      // The file is in the blob store (fsync'd) before the batch that names it (issue 15).
      extra: [...(await ctx.verificationRecords.storeFiles([{ sha256, mediaType: file.mediaType, bytes: file.bytes }])), ctx.applications.materialStatement(application.id, material)],
    };
  });
  // A full disk refuses the batch after the file is stored: noted as for certificates and evidence (C12).
  return uploading.catch((error: unknown) => {
    ctx.verificationRecords.noteRefused([file.bytes], error);
    throw error;
  });
}

export async function materialFile(ctx: ServiceContext, actor: Actor, id: string, materialId: string): Promise<{ material: Material; bytes: Uint8Array }> {
  await visibleCase(ctx, actor, id);
  const material = (await ctx.applications.materials(id)).find((m) => m.id === materialId);
  const file = material ? await ctx.verificationRecords.evidence(material.sha256) : undefined;
  if (!material || !file) throw new DomainError('not_found', { zh: '没有这份材料', en: 'No such material' });
  return { material, bytes: file.bytes };
}
